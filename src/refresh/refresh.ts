/**
 * Baseline refresh: merge a release's results into the baseline file and make
 * it a normal, reviewable git change: one commit on `rosetta-bench/baseline-<tag>`
 * with a pull request (or, when asked, straight onto the default branch).
 */
import type { TestbedMatch } from "../core/testbed.js";
import { join } from "node:path";
import { mergeIntoBaseline } from "../store/baseline-file.js";
import { baselineSchema, type Baseline } from "../core/baseline-schema.js";
import { writeFileAtomic, writeJsonAtomic } from "../store/files.js";
import type { PullsApi } from "../github/pulls.js";
import type { Results } from "../core/results-schema.js";
import type { Identity, RefreshWorktree } from "./git.js";

export const PUSH_MODES = ["pull-request", "direct"] as const;
export type PushMode = (typeof PUSH_MODES)[number];

/** The GitHub Actions bot, the identity of commits an action makes by default. */
export const ACTIONS_BOT: Identity = {
  name: "github-actions[bot]",
  email: "41898282+github-actions[bot]@users.noreply.github.com",
};

export interface RefreshRequest {
  /** The baseline file, relative to the repository root. */
  baselinePath: string;
  /** How an entry is matched for replacement (see `testbed-match`); hardware by default. */
  testbedMatch?: TestbedMatch;
  results: readonly Results[];
  /** Release tag (or another name) the branch and message are named after. */
  tag: string;
  mode: PushMode;
  baseBranch: string;
  identity: Identity;
  message: string;
  /** Extra trailer lines, such as "Signed-off-by: …". */
  trailers: readonly string[];
  maxAttempts: number;
  /** Renders the pull request body: the new results against the previous baseline. */
  describe(previous: Baseline | undefined): string;
  /** Where the refreshed baseline is saved if it cannot be pushed, so nothing is lost. */
  fallbackPath: string;
  log(message: string): void;
}

export type RefreshOutcome =
  | { status: "unchanged"; branch: string }
  | {
      status: "pushed";
      branch: string;
      commit: string;
      attempts: number;
      pullRequest?: { number: number; url: string; created: boolean };
    };

export function refreshBranch(request: Pick<RefreshRequest, "mode" | "tag" | "baseBranch">): string {
  if (request.mode === "direct") return request.baseBranch;
  return `rosetta-bench/baseline-${request.tag.replace(/[^\w.-]+/g, "-")}`;
}

function parseBaseline(text: string | undefined, where: string): Baseline | undefined {
  if (text === undefined) return undefined;
  try {
    return baselineSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new Error(
      `the baseline file at ${where} is not a valid baseline file; fix it before refreshing: ${String(err)}`,
      { cause: err },
    );
  }
}

export function serializeBaseline(baseline: Baseline): string {
  return JSON.stringify(baselineSchema.parse(baseline), null, 2) + "\n";
}

function commitMessage(request: RefreshRequest): string {
  return request.trailers.length ? `${request.message}\n\n${request.trailers.join("\n")}` : request.message;
}

export async function refreshBaseline(
  git: RefreshWorktree,
  request: RefreshRequest,
  pulls?: PullsApi,
): Promise<RefreshOutcome> {
  const branch = refreshBranch(request);
  const path = request.baselinePath;
  let merged: Baseline | undefined;
  for (let attempt = 1; attempt <= request.maxAttempts; attempt++) {
    const baseRef = await git.fetch(request.baseBranch, "base");
    const branchRef =
      branch !== request.baseBranch && (await git.remoteBranch(branch)) ? await git.fetch(branch, "branch") : baseRef;
    await git.resetTo(branchRef);
    const current = await git.fileAt(branchRef, path);
    merged = request.results.reduce<Baseline | undefined>(
      (b, r) =>
        r.cases.some((c) => c.status === "ok") ? mergeIntoBaseline(b, r, r.source?.commit, request.testbedMatch) : b,
      parseBaseline(current, `${branch}:${path}`),
    );
    const before = parseBaseline(current, `${branch}:${path}`);
    if (!merged || (before && JSON.stringify(before) === JSON.stringify(merged))) {
      request.log(`The baseline on ${branch} already holds these results: nothing to commit.`);
      return { status: "unchanged", branch };
    }
    await writeFileAtomic(join(git.dir, path), serializeBaseline(merged));
    const commit = await git.commitFile(path, request.identity, commitMessage(request));
    const pushed = await git.push(branch);
    if (pushed.pushed) {
      request.log(`Pushed ${commit.slice(0, 12)} to ${branch}${attempt > 1 ? ` (attempt ${attempt})` : ""}`);
      const outcome: RefreshOutcome = { status: "pushed", branch, commit, attempts: attempt };
      if (request.mode === "pull-request" && pulls) {
        const previous = parseBaseline(await git.fileAt(baseRef, path), `${request.baseBranch}:${path}`);
        outcome.pullRequest = await upsertPullRequest(pulls, branch, request, request.describe(previous));
      }
      return outcome;
    }
    // Retry only when the branch really moved; a refusal for any other reason (branch
    // protection, a hook) will not go away by trying again.
    const tip = await git.remoteBranch(branch);
    const basedOn = branchRef === baseRef && branch !== request.baseBranch ? undefined : await git.commitOf(branchRef);
    if (tip === basedOn) {
      await writeJsonAtomic(request.fallbackPath, merged);
      throw new Error(
        `origin refused the push to ${branch}: ${pushed.reason}; the refreshed baseline is saved at ${request.fallbackPath}`,
      );
    }
    request.log(`origin rejected the push to ${branch} (it moved meanwhile); fetching and re-applying the results`);
  }
  await writeJsonAtomic(request.fallbackPath, merged);
  throw new Error(
    `origin rejected the push to ${branch} ${request.maxAttempts} times (the branch keeps moving); ` +
      `the refreshed baseline is saved at ${request.fallbackPath}: re-run the job, or commit that file by hand`,
  );
}

async function upsertPullRequest(pulls: PullsApi, branch: string, request: RefreshRequest, body: string) {
  const title = request.message.split("\n")[0] ?? request.message;
  const existing = await pulls.findOpen(branch);
  if (existing) {
    const pr = await pulls.update(existing.number, title, body);
    request.log(`Updated pull request #${pr.number}: ${pr.html_url}`);
    return { number: pr.number, url: pr.html_url, created: false };
  }
  const pr = await pulls.create(branch, request.baseBranch, title, body);
  request.log(`Opened pull request #${pr.number}: ${pr.html_url}`);
  return { number: pr.number, url: pr.html_url, created: true };
}
