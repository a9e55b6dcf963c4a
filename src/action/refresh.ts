/**
 * mode refresh-baseline: on a release (or by hand), merge the release's results
 * into the baseline and commit it as a branch with a pull request, or directly.
 */
import { join, relative, resolve } from "node:path";
import * as core from "@actions/core";
import * as github from "@actions/github";
import type { Baseline } from "../baseline/schema.js";
import { compareWithBaseline } from "../compare.js";
import type { Config } from "../config/config.js";
import { InputError, readChoice, readInteger } from "../config/readers.js";
import { octokitPulls } from "../github/pulls.js";
import { renderComparison } from "../render/report.js";
import { readResults } from "../results/io.js";
import type { Results } from "../results/schema.js";
import { configEnv, gitClient, needsToken, RefreshWorktree, tokenHeaderConfig } from "../refresh/git.js";
import { ACTIONS_BOT, PUSH_MODES, refreshBaseline, type RefreshOutcome } from "../refresh/refresh.js";

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

export function parseRefreshInputs(get: (name: string) => string): RefreshInputs {
  const payload = github.context.payload as {
    release?: { tag_name?: string };
    repository?: { default_branch?: string };
  };
  const tag = get("refresh-tag").trim() || payload.release?.tag_name || process.env.GITHUB_REF_NAME || "";
  if (!tag) throw new InputError("input 'refresh-tag' is empty and this event names no release tag; set refresh-tag");
  const baseBranch = get("base-branch").trim() || payload.repository?.default_branch || "";
  if (!baseBranch)
    throw new InputError("input 'base-branch' is empty and the event names no default branch; set base-branch");
  return {
    push: readChoice("input 'baseline-push'", get("baseline-push").trim() || "pull-request", PUSH_MODES),
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
    maxAttempts: readInteger("input 'push-attempts'", get("push-attempts").trim() || "3", 1, 10),
  };
}

async function repositoryRoot(workspace: string): Promise<string> {
  return (await gitClient(workspace, {}).revparse(["--show-toplevel"])).trim();
}

/** Credentials for the push, through the environment only, and only where origin needs them. */
async function pushEnv(workspace: string, token: string): Promise<Record<string, string>> {
  if (!token) return {};
  const probe = await RefreshWorktree.open(workspace, {});
  try {
    const server = process.env.GITHUB_SERVER_URL ?? "https://github.com";
    if (!needsToken(await probe.remoteUrl(), server, await probe.extraHeaders())) return {};
    core.info("origin has no credentials from the checkout step: using the token for this push only");
    return configEnv([tokenHeaderConfig(server, token)]);
  } finally {
    await probe.close();
  }
}

export async function refreshFromAction(
  config: Config,
  inputs: RefreshInputs,
  token: string,
  results: readonly Results[],
): Promise<RefreshOutcome> {
  if (token) core.setSecret(token);
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const root = await repositoryRoot(workspace);
  const baselinePath = relative(root, resolve(workspace, config.baselinePath));
  const git = await RefreshWorktree.open(workspace, await pushEnv(workspace, token));
  const { owner, repo } = github.context.repo;
  const pulls = token ? octokitPulls(github.getOctokit(token), owner, repo) : undefined;
  try {
    return await refreshBaseline(
      git,
      {
        baselinePath,
        results,
        tag: inputs.tag,
        mode: inputs.push,
        baseBranch: inputs.baseBranch,
        identity: inputs.identity,
        message: inputs.message,
        trailers: inputs.trailers,
        maxAttempts: inputs.maxAttempts,
        describe: (previous: Baseline | undefined) =>
          results
            .map((r) =>
              renderComparison(compareWithBaseline(r, previous, config), {
                profile: r.profile,
                baselinePath,
                ...(r.source?.runUrl ? { runUrl: r.source.runUrl } : {}),
                maxLength: Math.floor(60_000 / results.length),
              }),
            )
            .join("\n---\n\n"),
        fallbackPath: join(process.env.RUNNER_TEMP ?? root, "rosetta-bench", "baseline.json"),
        log: (m) => core.info(m),
      },
      pulls,
    );
  } finally {
    await git.close();
  }
}

export function readResultsFiles(paths: readonly string[]): Promise<Results[]> {
  return Promise.all(paths.map((p) => readResults(p)));
}
