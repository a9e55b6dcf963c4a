/**
 * The sticky PR comment: one comment per (pull request, comment-id), found by a
 * hidden marker, updated in place, never duplicated, untouched when unchanged.
 */
import type { getOctokit } from "@actions/github";

type Octokit = ReturnType<typeof getOctokit>;

export interface IssueComment {
  id: number;
  body?: string | undefined;
  html_url: string;
}

/** The GitHub boundary of the comment: the three REST routes it uses. */
export interface CommentsApi {
  /** Every comment of the issue or pull request, all pages. */
  list(issue: number): Promise<IssueComment[]>;
  create(issue: number, body: string): Promise<IssueComment>;
  update(commentId: number, body: string): Promise<IssueComment>;
}

export function octokitComments(octokit: Octokit, owner: string, repo: string): CommentsApi {
  return {
    list: (issue) =>
      octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issue, per_page: 100 }),
    create: async (issue, body) =>
      (await octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body })).data,
    update: async (id, body) => (await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body })).data,
  };
}

/** The hidden first line that identifies our comment; `commentId` lets several jobs keep one each. */
export function commentMarker(commentId: string): string {
  return `<!-- rosetta-bench:comment-id=${commentId.replace(/[^\w.-]/g, "_")} -->`;
}

export type CommentAction = "created" | "updated" | "unchanged" | "skipped";

export interface UpsertResult {
  action: CommentAction;
  url?: string;
}

/**
 * Creates or updates the sticky comment. With `createIfMissing` false (comment
 * mode `on-regression` without a regression), an existing comment is still
 * updated, so a fixed regression does not leave a stale alarm behind.
 */
export async function upsertStickyComment(
  api: CommentsApi,
  issue: number,
  commentId: string,
  report: string,
  createIfMissing: boolean,
): Promise<UpsertResult> {
  const marker = commentMarker(commentId);
  const body = `${marker}\n${report}`;
  const existing = (await api.list(issue)).find((c) => c.body?.startsWith(marker));
  if (existing) {
    if (existing.body === body) return { action: "unchanged", url: existing.html_url };
    const updated = await api.update(existing.id, body);
    return { action: "updated", url: updated.html_url };
  }
  if (!createIfMissing) return { action: "skipped" };
  const created = await api.create(issue, body);
  return { action: "created", url: created.html_url };
}

/** An HTTP status on an Octokit error, if it has one. */
export function httpStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
