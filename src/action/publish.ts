/** Where an action's report lands: the job summary, outputs, annotations and the sticky comment. */
import * as core from "@actions/core";
import type { Comparison } from "../judge/compare.js";
import { METRICS } from "../core/metrics.js";
import { formatChange } from "../report/markdown.js";
import { httpStatus, upsertStickyComment, type CommentsApi } from "../github/comments.js";
import type { ActionOptions } from "./inputs.js";

/** One annotation per regressed or failed case, errors when gating, warnings otherwise. */
export function annotate(comparison: Comparison, gating: boolean): void {
  const annotate = gating ? core.error : core.warning;
  for (const c of comparison.cases) {
    if (c.verdict === "regression") {
      const worst = c.metrics.filter((m) => m.verdict === "regression");
      const detail = worst.map((m) => `${METRICS[m.metric].label} ${formatChange(m.change, m.metric)}`).join(", ");
      annotate(`${c.id}: ${detail} against the baseline`, { title: `Performance regression: ${c.id}` });
    } else if (c.verdict === "failed") {
      annotate(`${c.id} failed: ${c.note ?? "no reason given"}`, { title: `Benchmark failed: ${c.id}` });
    }
  }
}

/** A sentence for a comment that once reported a regression and no longer does. */
export const REGRESSION_GONE = "The regression this comment reported earlier is gone.";

/**
 * Posts or updates the sticky comment as the `comment` input asks. A token that
 * cannot write (a pull request from a fork, `pull-requests: read`) gives one
 * warning and no failure: the job summary and the report file still have it.
 */
export async function publishComment(
  api: CommentsApi,
  pr: number,
  options: ActionOptions,
  comparison: Pick<Comparison, "regressed">,
  render: (extra?: string) => string,
  reportPath: string,
): Promise<string | undefined> {
  if (options.comment === "never") return undefined;
  const createIfMissing = options.comment === "always" || comparison.regressed;
  const body = options.comment === "on-regression" && !comparison.regressed ? render(REGRESSION_GONE) : render();
  try {
    const author = options.commentAuthor || (await api.author());
    const result = await upsertStickyComment(api, pr, options.commentId, body, createIfMissing, author);
    core.info(`PR comment ${result.action}${result.url ? `: ${result.url}` : ""}`);
    return result.url;
  } catch (err) {
    const status = httpStatus(err);
    if (status !== 403 && status !== 404) throw err;
    core.warning(
      `Cannot write the PR comment with this token (HTTP ${status}: ${(err as Error).message}). ` +
        `This is expected for pull requests from forks. The report is in the job summary and at ${reportPath}; ` +
        `to post it, use the two-workflow pattern in the rosetta-bench README ("Pull requests from forks").`,
    );
    return undefined;
  }
}
