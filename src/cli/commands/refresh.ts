/** rosetta-bench baseline refresh: the action's refresh-baseline mode, from a workstation or another CI. */
import { dirname } from "node:path";
import { cliBoundaries } from "../main.js";
import type { Config } from "../../configure/config.js";
import { gitClient } from "../../refresh/git.js";
import { parseRefreshInputs, runRefresh } from "../../refresh/session.js";
import { readResultsFiles } from "../../store/results-file.js";
import { executeRun } from "../../pipeline.js";
import type { Io } from "../io.js";
import { ensureRunData } from "./data.js";
import { terminalReporter } from "../progress-terminal.js";

const REFRESH_FLAG: Record<string, string> = { "refresh-tag": "tag", "baseline-push": "push" };

/** origin's default branch, as the clone recorded it (refs/remotes/origin/HEAD). */
async function originDefaultBranch(): Promise<string | undefined> {
  const head = await gitClient(process.cwd(), {})
    .raw(["symbolic-ref", "--short", "refs/remotes/origin/HEAD"])
    .catch(() => "");
  return head.trim().replace(/^origin\//, "") || undefined;
}

export async function refreshCommand(
  config: Config,
  values: Record<string, string | undefined>,
  io: Io,
): Promise<number> {
  const inputs = parseRefreshInputs(
    (name) => values[REFRESH_FLAG[name] ?? name] ?? "",
    (name) => `--${REFRESH_FLAG[name] ?? name}`,
    { tag: process.env.GITHUB_REF_NAME, baseBranch: await originDefaultBranch() },
  );
  const reporter = terminalReporter(io.stderr);
  const results = inputs.resultsFiles.length
    ? await readResultsFiles(inputs.resultsFiles, "--results-files")
    : [
        (
          await executeRun(
            config,
            cliBoundaries(config, (m) => io.stderr.write(`${m}\n`)),
            reporter,
            {
              prepareData: () => ensureRunData(config, io),
            },
          )
        ).results,
      ];
  const slug = values.repository ?? process.env.GITHUB_REPOSITORY ?? "";
  const [owner, repo] = slug.split("/");
  const outcome = await runRefresh(config, inputs, results, {
    workspace: process.cwd(),
    token: process.env.GITHUB_TOKEN ?? "",
    serverUrl: process.env.GITHUB_SERVER_URL ?? "https://github.com",
    repository: owner && repo ? { owner, repo } : undefined,
    fallbackDir: dirname(config.resultsPath),
    log: (m) => reporter.info(m),
  });
  if (outcome.status === "pushed" && inputs.push === "pull-request" && !outcome.pullRequest) {
    reporter.info(
      `Pushed ${outcome.branch}; set GITHUB_TOKEN and --repository to open the pull request, or open it by hand.`,
    );
  }
  return 0;
}
