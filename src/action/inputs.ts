/** Action-only inputs: how the action runs and where its report goes. */
import { InputError, readChoice } from "../configure/readers.js";

/** The inputs only the action reads (the rest are the run configuration's, INPUT_NAMES). */
export const ACTION_INPUT_NAMES = ["mode", "comment", "comment-id", "comment-author", "github-token"] as const;

export const MODES = ["run", "comment", "report", "refresh-baseline"] as const;
export const COMMENT_WHEN = ["always", "on-regression", "never"] as const;

export interface ActionOptions {
  /**
   * run: benchmark and report; comment: post the report of an earlier run (the
   * fork-safe second workflow); report: one report for several results files (a
   * fleet of runners); refresh-baseline: commit a release's figures.
   */
  readonly mode: (typeof MODES)[number];
  readonly comment: (typeof COMMENT_WHEN)[number];
  readonly commentId: string;
  /** The login whose comment is ours to update; empty: the token's own (GET /user, or the Actions bot). */
  readonly commentAuthor: string;
  readonly githubToken: string;
}

export function parseActionOptions(get: (name: string) => string): ActionOptions {
  const value = (name: string, fallback: string) => get(name).trim() || fallback;
  const options: ActionOptions = {
    mode: readChoice("input 'mode'", value("mode", "run"), MODES),
    comment: readChoice("input 'comment'", value("comment", "always"), COMMENT_WHEN),
    commentId: value("comment-id", "default"),
    commentAuthor: get("comment-author").trim(),
    githubToken: get("github-token").trim(),
  };
  if (!/^[\w.-]{1,64}$/.test(options.commentId)) {
    throw new InputError(
      `input 'comment-id': '${options.commentId}' is not accepted; accepted: 1 to 64 letters, digits, '_', '.' or '-'`,
    );
  }
  if (options.mode !== "refresh-baseline" && options.comment !== "never" && !options.githubToken) {
    throw new InputError(
      `input 'github-token' is empty, but input 'comment' is '${options.comment}'; set a token or comment: never`,
    );
  }
  return Object.freeze(options);
}
