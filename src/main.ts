/**
 * The action: inputs → the shared pipeline → job summary, outputs, annotations,
 * sticky PR comment, exit status. The one place an error becomes `core.setFailed`.
 *
 * mode run:     benchmark, compare, report (the PR workflow).
 * mode comment: post the report of an earlier run from its results file, without
 *               running any of the pull request's code (the fork-safe second
 *               workflow, on `workflow_run`).
 * mode report:  one report for several results files (a matrix over runner
 *               labels, its artifacts downloaded): one job summary, one comment.
 */
import os from "node:os";
import { dirname, join } from "node:path";
import * as core from "@actions/core";
import * as github from "@actions/github";
import { annotate, publishComment } from "./action/publish.js";
import { actionRefreshInputs, refreshFromAction } from "./action/refresh.js";
import { readResultsFiles } from "./store/results-file.js";
import { parseActionOptions, type ActionOptions } from "./action/inputs.js";
import { actionsReporter } from "./action/progress-log.js";
import { prepareActionData } from "./action/data.js";
import { localRunBoundaries } from "./run/boundaries.js";
import { handleInterrupts, interruptedBy } from "./run/run-case.js";
import { diagnose } from "./cli/commands/doctor.js";
import {
  actionInputOverrides,
  checkWritable,
  defaultInputs,
  parseConfig,
  pinsDirOf,
  type Config,
  type InputName,
} from "./configure/config.js";
import { octokitComments, type CommentsApi } from "./github/comments.js";
import { PULL_REQUEST_FILE, pullRequestOf, readHandOff, writeHandOff } from "./github/pull-request.js";
import { packageRoot } from "./core/paths.js";
import { InputError } from "./configure/readers.js";
import type { RunBoundaries } from "./run/cases.js";
import { ensureFrameworksInstalled } from "./prepare/frameworks.js";
import { installCacheRoot } from "./prepare/pins.js";
import type { Device } from "./core/protocol.js";
import type { FrameworkId } from "./core/catalog.js";
import { fitInBytes, GITHUB_COMMENT_LIMIT, JOB_SUMMARY_LIMIT_BYTES, renderComparison } from "./report/markdown.js";
import { executeCompare, executeCompareMany, executeRun, type RunOutput } from "./pipeline.js";
import { nothingMeasuredLine } from "./judge/compare.js";
import type { DataCacheService } from "./data/acquire.js";
import { actionsCacheService } from "./data/actions-cache.js";

/** What the action reads of its event, read once from `github.context` in {@link run}. */
export interface ActionContext {
  readonly eventName: string;
  readonly payload: typeof github.context.payload;
  /** From GITHUB_REPOSITORY; absent outside a repository's workflow. */
  readonly repo?: { owner: string; repo: string };
}

function readContext(): ActionContext {
  const { eventName, payload } = github.context;
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? "").split("/");
  return { eventName, payload, ...(owner && repo ? { repo: { owner, repo } } : {}) };
}

function repositoryOf(context: ActionContext): { owner: string; repo: string } {
  if (!context.repo) throw new Error("GITHUB_REPOSITORY is not set (owner/name): the action needs it to comment");
  return context.repo;
}

export interface ActionBoundaries {
  run?: RunBoundaries;
  /** The Actions cache service by default. */
  dataCache?: DataCacheService;
}

/** Where the results go when the workflow does not say: the runner's temp folder. */
function actionDefaults(): Record<InputName, string> {
  const dir = join(process.env.RUNNER_TEMP ?? os.tmpdir(), "rosetta-bench");
  return {
    ...defaultInputs(),
    ...actionInputOverrides(),
    "results-path": join(dir, "results.json"),
  };
}

function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = process.env;
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}

/** The Actions cache for the pins' install, where the runner offers one. */
function sharedInstallCache(boundaries: ActionBoundaries): { installCache?: DataCacheService } {
  const cache = boundaries.dataCache ?? actionsCacheService();
  try {
    return cache.isAvailable() ? { installCache: cache } : {};
  } catch {
    return {};
  }
}

async function benchmark(
  config: Config,
  context: ActionContext,
  boundaries: ActionBoundaries,
): Promise<RunOutput & { diagnosis?: string[] }> {
  // The repository under test is the workspace: its framework pins, when it has them, are what runs.
  const pinsDir = pinsDirOf(config, process.env.GITHUB_WORKSPACE ?? process.cwd(), "input 'frameworks-dir'");
  if (pinsDir) core.info(`Framework pins: ${pinsDir}`);
  const io =
    boundaries.run ??
    (pinsDir
      ? localRunBoundaries({ ...config, pinsDir, log: core.info, ...sharedInstallCache(boundaries) })
      : localRunBoundaries({
          ...config,
          log: core.info,
          // The tool's own frameworks; a selected native tfjs flavour from its locked pins, installed once.
          prepareFrameworks: (device: Device, frameworks: readonly FrameworkId[]) =>
            ensureFrameworksInstalled(
              packageRoot(),
              device,
              frameworks,
              { info: core.info, warning: (m) => core.warning(m) },
              installCacheRoot(),
              sharedInstallCache(boundaries).installCache,
            ),
        }));
  const url = runUrl();
  const source = {
    ...(process.env.GITHUB_SHA ? { commit: process.env.GITHUB_SHA } : {}),
    ...(process.env.GITHUB_REF ? { ref: process.env.GITHUB_REF } : {}),
    ...(url ? { runUrl: url } : {}),
  };
  const out = await executeRun(config, io, actionsReporter(), {
    source,
    ...(url ? { runUrl: url } : {}),
    prepareData: () => prepareActionData(config, boundaries.dataCache),
  });
  const pr = pullRequestOf(context.eventName, context.payload);
  // Beside the results: what a workflow_run job needs to comment on this pull request.
  if (pr) await writeHandOff(join(dirname(config.resultsPath), PULL_REQUEST_FILE), pr);
  // A GPU case that could not run: whoever looks after the runner gets doctor's diagnosis in the summary.
  const gpuUnavailable = out.results.cases.filter((c) => c.device === "gpu" && c.status === "unavailable");
  if (gpuUnavailable.length && !interruptedBy()) {
    core.info(`${gpuUnavailable.length} GPU case(s) unavailable: diagnosing the runner (rosetta-bench doctor)`);
    try {
      return { ...out, diagnosis: await diagnose(config, io) };
    } catch (err) {
      core.warning(`rosetta-bench: the runner diagnosis failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}

/** The pull request a `workflow_run` job comments on, checked against GitHub itself. */
async function verifiedPullRequest(config: Config, context: ActionContext, options: ActionOptions): Promise<number> {
  const handOff = await readHandOff(join(dirname(config.resultsPath), PULL_REQUEST_FILE));
  const run = context.payload.workflow_run as { head_sha?: string } | undefined;
  if (context.eventName !== "workflow_run" || !run?.head_sha) {
    throw new Error(`mode 'comment' runs on a workflow_run event; this is a '${context.eventName}' event`);
  }
  const { owner, repo } = repositoryOf(context);
  const { data } = await github
    .getOctokit(options.githubToken)
    .rest.pulls.get({ owner, repo, pull_number: handOff.number });
  if (data.head.sha !== run.head_sha) {
    throw new Error(
      `refusing to comment on pull request #${handOff.number}: its head ${data.head.sha} is not the commit the run tested (${run.head_sha})`,
    );
  }
  if (handOff.headSha !== run.head_sha) {
    throw new Error(
      `refusing to comment on pull request #${handOff.number}: the run's hand-off file names head ${handOff.headSha}, not the commit the run tested (${run.head_sha})`,
    );
  }
  return handOff.number;
}

/** mode refresh-baseline: results from files or a fresh run, merged and committed. */
async function refresh(
  config: Config,
  context: ActionContext,
  options: ActionOptions,
  boundaries: ActionBoundaries,
): Promise<void> {
  const inputs = actionRefreshInputs(context.payload);
  const results = inputs.resultsFiles.length
    ? await readResultsFiles(inputs.resultsFiles, "input 'results-files'")
    : [(await benchmark(config, context, boundaries)).results];
  const outcome = await refreshFromAction(config, inputs, options.githubToken, results, context.repo);
  core.setOutput("baseline-branch", outcome.branch);
  if (outcome.status === "unchanged") {
    await core.summary
      .addRaw(
        `## rosetta-bench\n\nThe baseline on \`${outcome.branch}\` already holds these results: nothing to commit.\n`,
      )
      .write();
    return;
  }
  core.setOutput("baseline-commit", outcome.commit);
  core.setOutput("pull-request-url", outcome.pullRequest?.url ?? "");
  const where = outcome.pullRequest ? `pull request ${outcome.pullRequest.url}` : `\`${outcome.branch}\``;
  await core.summary
    .addRaw(`## rosetta-bench\n\nBaseline refreshed for ${inputs.tag}: commit ${outcome.commit} on ${where}.\n`)
    .write();
}

/** doctor's lines as a collapsed block of the job summary (its text is plain: no fence can close early). */
function diagnosisBlock(lines: readonly string[]): string {
  const text = lines.join("\n").replaceAll("`", "'");
  return (
    "\n<details><summary>Runner diagnosis (<code>rosetta-bench doctor</code>): a GPU case could not run</summary>\n\n" +
    "```text\n" +
    text +
    "\n```\n\n</details>\n"
  );
}

/** Results files named by the input: paths, folders or globs, newline- or comma-separated. */
function resultsFilesInput(): string[] {
  return core
    .getInput("results-files")
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** mode report: one report, one summary and one sticky comment for a fleet's results files. */
async function fleetReport(config: Config, context: ActionContext, options: ActionOptions): Promise<void> {
  const patterns = resultsFilesInput();
  if (!patterns.length) {
    throw new InputError(
      "input 'results-files' is empty; mode 'report' needs the results files: paths, folders or globs such as artifacts/**/*.json",
    );
  }
  await checkWritable(config.reportPath, "input 'report-path'");
  const url = runUrl();
  const fleet = await executeCompareMany(config, patterns, url ? { runUrl: url } : {}, "input 'results-files'");
  core.info(`Compared ${fleet.parts.length} results files: ${fleet.parts.map((p) => p.path).join(", ")}`);
  const summary = fitInBytes(JOB_SUMMARY_LIMIT_BYTES - 1024, (maxLength) =>
    maxLength === undefined ? fleet.markdown : fleet.render(maxLength),
  );
  await core.summary.addRaw(summary).write();
  core.setOutput("report-path", config.reportPath);
  core.setOutput("regression", String(fleet.regressed));
  for (const p of fleet.parts) annotate(p.comparison, config.failOnRegression);

  const prNumber = pullRequestOf(context.eventName, context.payload)?.number;
  if (prNumber !== undefined) {
    const api: CommentsApi = octokitComments(
      github.getOctokit(options.githubToken),
      repositoryOf(context).owner,
      repositoryOf(context).repo,
    );
    const render = (notice?: string) => fleet.render(GITHUB_COMMENT_LIMIT - 200, notice);
    const commentUrl = await publishComment(api, prNumber, options, fleet, render, config.reportPath);
    core.setOutput("comment-url", commentUrl ?? "");
  } else if (options.comment !== "never") {
    core.info(`No pull request in this '${context.eventName}' event: the report is in the job summary only.`);
  }
  if (fleet.regressed && config.failOnRegression) {
    const failing = fleet.parts.filter((p) => p.comparison.regressed).map((p) => p.path);
    core.setFailed(`rosetta-bench: the gate fails on ${failing.join(", ")} (see the job summary)`);
  }
}

export async function run(boundaries: ActionBoundaries = {}): Promise<void> {
  // A cancelled job: the workers stop, and what was measured is still written and reported.
  const release = handleInterrupts((m) => core.warning(`rosetta-bench: ${m}`));
  try {
    const context = readContext();
    const options = parseActionOptions((name) => core.getInput(name));
    const config = parseConfig(
      (name) => core.getInput(name),
      (name) => `input '${name}'`,
      actionDefaults(),
    );
    if (options.mode === "refresh-baseline") return await refresh(config, context, options, boundaries);
    if (options.mode === "report") return await fleetReport(config, context, options);
    if (options.mode === "run") await checkWritable(config.resultsPath, "input 'results-path'");
    await checkWritable(config.reportPath, "input 'report-path'");
    const commenting = options.mode === "comment";
    const prNumber = commenting
      ? await verifiedPullRequest(config, context, options)
      : pullRequestOf(context.eventName, context.payload)?.number;
    const url = commenting ? (context.payload.workflow_run as { html_url?: string } | undefined)?.html_url : runUrl();
    const out: RunOutput & { diagnosis?: string[] } = commenting
      ? await executeCompare(config, url ? { runUrl: url } : {})
      : await benchmark(config, context, boundaries);

    const diagnosis = out.diagnosis ? diagnosisBlock(out.diagnosis) : "";
    const summary = fitInBytes(JOB_SUMMARY_LIMIT_BYTES - 1024 - Buffer.byteLength(diagnosis), (maxLength) =>
      maxLength === undefined
        ? out.markdown
        : renderComparison(out.comparison, {
            profile: out.results.profile,
            baselinePath: config.baselinePath,
            ...(url ? { runUrl: url } : {}),
            ...(out.trendNote ? { trendNote: out.trendNote } : {}),
            maxLength,
          }),
    );
    await core.summary.addRaw(summary + diagnosis).write();
    core.setOutput("results-path", config.resultsPath);
    core.setOutput("report-path", config.reportPath);
    core.setOutput("regression", String(out.comparison.regressed));
    if (!commenting) annotate(out.comparison, config.failOnRegression);

    if (prNumber !== undefined) {
      const api: CommentsApi = octokitComments(
        github.getOctokit(options.githubToken),
        repositoryOf(context).owner,
        repositoryOf(context).repo,
      );
      const render = (notice?: string) =>
        renderComparison(out.comparison, {
          profile: out.results.profile,
          baselinePath: config.baselinePath,
          ...(url ? { runUrl: url } : {}),
          ...(notice ? { notice } : {}),
          ...(out.trendNote ? { trendNote: out.trendNote } : {}),
          maxLength: GITHUB_COMMENT_LIMIT - 200, // room for the marker line
        });
      const commentUrl = await publishComment(api, prNumber, options, out.comparison, render, config.reportPath);
      core.setOutput("comment-url", commentUrl ?? "");
    } else if (options.comment !== "never") {
      core.info(`No pull request in this '${context.eventName}' event: the report is in the job summary only.`);
    }

    const signal = interruptedBy();
    if (signal) {
      core.setFailed(`rosetta-bench: interrupted by ${signal}; the report holds the cases done before it`);
    } else if (!commenting && out.comparison.regressed && config.failOnRegression) {
      core.setFailed(
        out.comparison.nothingMeasured
          ? `rosetta-bench: ${nothingMeasuredLine(out.comparison)} (see the job summary); set allow-empty: true where that is intended`
          : "rosetta-bench: performance regressed (see the job summary)",
      );
    }
  } catch (err) {
    core.setFailed(err instanceof Error ? err.message : String(err));
  } finally {
    release();
  }
}
