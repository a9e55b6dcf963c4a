/**
 * A baseline refresh from start to finish, shared by the action and the CLI:
 * inputs parsed, credentials prepared, the worktree opened, the refresh run,
 * the worktree removed whatever happened.
 */
import { isAbsolute, join, relative, resolve } from "node:path";
import * as github from "@actions/github";
import type { Baseline } from "../core/baseline-schema.js";
import { compareWithBaseline } from "../judge/compare.js";
import type { Config } from "../configure/config.js";
import { InputError, readChoice, readInteger } from "../configure/readers.js";
import { octokitPulls } from "../github/pulls.js";
import { renderComparison } from "../report/markdown.js";
import type { Results } from "../core/results-schema.js";
import { configEnv, gitClient, needsToken, RefreshWorktree, tokenHeaderConfig } from "./git.js";
import { ACTIONS_BOT, PUSH_MODES, refreshBaseline, type RefreshOutcome } from "./refresh.js";

/** The inputs of mode refresh-baseline, as action.yml declares them. */
export const REFRESH_INPUT_NAMES = [
  "results-files",
  "baseline-push",
  "refresh-tag",
  "base-branch",
  "commit-user-name",
  "commit-user-email",
  "commit-message",
  "commit-trailers",
  "push-attempts",
] as const;

export interface RefreshInputs {
  push: (typeof PUSH_MODES)[number];
  resultsFiles: string[];
  tag: string;
  baseBranch: string;
  identity: { name: string; email: string };
  message: string;
  trailers: string[];
  maxAttempts: number;
}

/** What the event (or the environment) says when the inputs do not. */
export interface RefreshDefaults {
  tag?: string | undefined;
  baseBranch?: string | undefined;
}

/** Parses the refresh inputs; `label` names an input as the user wrote it. */
export function parseRefreshInputs(
  get: (name: string) => string,
  label: (name: string) => string,
  defaults: RefreshDefaults,
): RefreshInputs {
  const tag = get("refresh-tag").trim() || defaults.tag || "";
  if (!tag) throw new InputError(`${label("refresh-tag")} is empty and no release tag is known; name the release`);
  const baseBranch = get("base-branch").trim() || defaults.baseBranch || "";
  if (!baseBranch) throw new InputError(`${label("base-branch")} is empty and the default branch is unknown; name it`);
  return {
    push: readChoice(label("baseline-push"), get("baseline-push").trim() || "pull-request", PUSH_MODES),
    resultsFiles: get("results-files")
      .split(/[\n,]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    tag,
    baseBranch,
    identity: {
      name: get("commit-user-name").trim() || ACTIONS_BOT.name,
      email: get("commit-user-email").trim() || ACTIONS_BOT.email,
    },
    message: get("commit-message").trim() || `Refresh the rosetta-bench baseline for ${tag}`,
    trailers: get("commit-trailers")
      .split("\n")
      .map((s) => s.trim())
      .filter(Boolean),
    maxAttempts: readInteger(label("push-attempts"), get("push-attempts").trim() || "3", 1, 10),
  };
}

export interface RefreshSession {
  workspace: string;
  /** A token for the push (only where origin needs one) and the pull request; none: push only. */
  token: string;
  serverUrl: string;
  repository?: { owner: string; repo: string } | undefined;
  /** Folder for the fallback copy of the baseline when the push fails. */
  fallbackDir: string;
  log(message: string): void;
}

/** Credentials for the push, through the environment only, and only where origin needs them. */
async function pushEnv(session: RefreshSession): Promise<Record<string, string>> {
  if (!session.token) return {};
  const probe = await RefreshWorktree.open(session.workspace, {});
  try {
    if (!needsToken(await probe.remoteUrl(), session.serverUrl, await probe.extraHeaders())) return {};
    session.log("origin has no credentials from the checkout step: using the token for this push only");
    return configEnv([tokenHeaderConfig(session.serverUrl, session.token)]);
  } finally {
    await probe.close();
  }
}

export async function runRefresh(
  config: Config,
  inputs: RefreshInputs,
  results: readonly Results[],
  session: RefreshSession,
): Promise<RefreshOutcome> {
  const root = (await gitClient(session.workspace, {}).revparse(["--show-toplevel"])).trim();
  const baselinePath = relative(root, resolve(session.workspace, config.baselinePath));
  // The refresh commits the baseline: it must be a file of this repository, not one outside it.
  if (baselinePath === "" || baselinePath.startsWith("..") || isAbsolute(baselinePath)) {
    throw new InputError(
      `baseline path '${config.baselinePath}' is outside the repository at '${root}'; the refresh commits the baseline, so it must be a path inside the repository`,
    );
  }
  const git = await RefreshWorktree.open(session.workspace, await pushEnv(session));
  const { repository, token } = session;
  const pulls =
    token && repository ? octokitPulls(github.getOctokit(token), repository.owner, repository.repo) : undefined;
  const describe = (previous: Baseline | undefined) =>
    results
      .map((r) =>
        renderComparison(compareWithBaseline(r, previous, config), {
          profile: r.profile,
          baselinePath,
          ...(r.source?.runUrl ? { runUrl: r.source.runUrl } : {}),
          maxLength: Math.floor(60_000 / results.length),
        }),
      )
      .join("\n---\n\n");
  try {
    return await refreshBaseline(
      git,
      {
        ...inputs,
        baselinePath,
        testbedMatch: config.testbedMatch,
        results,
        mode: inputs.push,
        describe,
        fallbackPath: join(session.fallbackDir, "baseline.json"),
        log: (m) => session.log(m),
      },
      pulls,
    );
  } finally {
    await git.close();
  }
}
