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
  user?: { login: string } | null;
}

/** Who the Actions token posts as; it may not read GET /user (403), so its name is known here. */
export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

/** The GitHub boundary of the comment: the four REST routes it uses. */
export interface CommentsApi {
  /** The login the token posts as: GET /user, or the Actions bot where that answers 403. */
  author(): Promise<string>;
  /** Every comment of the issue or pull request, all pages. */
  list(issue: number): Promise<IssueComment[]>;
  create(issue: number, body: string): Promise<IssueComment>;
  update(commentId: number, body: string): Promise<IssueComment>;
}

export function octokitComments(octokit: Octokit, owner: string, repo: string): CommentsApi {
  return {
    author: async () => {
      try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
      } catch (err) {
        // The Actions token is an installation token: GET /user is "not accessible by integration".
        if (httpStatus(err) === 403) return ACTIONS_BOT_LOGIN;
        throw err;
      }
    },
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
 * updated, so a fixed regression does not leave a stale alarm behind. Only a
 * comment written by `author` (the identity the token posts as) is ours: anyone
 * can paste the marker into a comment, and theirs must never be edited.
 */
export async function upsertStickyComment(
  api: CommentsApi,
  issue: number,
  commentId: string,
  report: string,
  createIfMissing: boolean,
  author: string,
): Promise<UpsertResult> {
  const marker = commentMarker(commentId);
  const body = `${marker}\n${report}`;
  const existing = (await api.list(issue)).find((c) => c.body?.startsWith(marker) && c.user?.login === author);
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
