/**
 * mode refresh-baseline: on a release (or by hand), merge the release's results
 * into the baseline and commit it as a branch with a pull request, or directly.
 */
import { join } from "node:path";
import * as core from "@actions/core";
import type { Config } from "../configure/config.js";
import type { Results } from "../core/results-schema.js";
import type { RefreshOutcome } from "../refresh/refresh.js";
import { parseRefreshInputs, runRefresh, type RefreshInputs } from "../refresh/session.js";

export function actionRefreshInputs(eventPayload: object): RefreshInputs {
  const payload = eventPayload as {
    release?: { tag_name?: string };
    repository?: { default_branch?: string };
  };
  return parseRefreshInputs(
    (name) => core.getInput(name),
    (name) => `input '${name}'`,
    { tag: payload.release?.tag_name ?? process.env.GITHUB_REF_NAME, baseBranch: payload.repository?.default_branch },
  );
}

export function refreshFromAction(
  config: Config,
  inputs: RefreshInputs,
  token: string,
  results: readonly Results[],
  repository: { owner: string; repo: string } | undefined,
): Promise<RefreshOutcome> {
  if (token) core.setSecret(token);
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  return runRefresh(config, inputs, results, {
    workspace,
    token,
    serverUrl: process.env.GITHUB_SERVER_URL ?? "https://github.com",
    repository,
    fallbackDir: join(process.env.RUNNER_TEMP ?? workspace, "rosetta-bench"),
    log: (m) => core.info(m),
  });
}
