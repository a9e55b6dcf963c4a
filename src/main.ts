/**
 * The action: inputs → the shared pipeline → job summary, outputs, annotations,
 * exit status. The one place an error becomes `core.setFailed`.
 */
import os from "node:os";
import { join } from "node:path";
import * as core from "@actions/core";
import { prepareActionData } from "./action-data.js";
import { actionsReporter } from "./action-reporter.js";
import { localRunBoundaries } from "./boundaries.js";
import { defaultInputs, parseConfig, type InputName } from "./config/config.js";
import type { RunBoundaries } from "./pipeline.js";
import { executeRun } from "./run.js";
import { METRICS } from "./metrics.js";
import { formatChange } from "./render.js";
import { packageRoot } from "./paths.js";
import { ensureFrameworksInstalled } from "./prepare.js";
import type { Device } from "./protocol.js";
import type { DataCacheService } from "./data/prepare.js";

export interface ActionBoundaries {
  run?: RunBoundaries;
  /** The Actions cache service by default. */
  dataCache?: DataCacheService;
}

/** Where the results go when the workflow does not say: the runner's temp folder. */
function actionDefaults(): Record<InputName, string> {
  const dir = join(process.env.RUNNER_TEMP ?? os.tmpdir(), "rosetta-bench");
  return { ...defaultInputs(), "results-path": join(dir, "results.json"), "fail-on-regression": "true" };
}

function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = process.env;
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}

export async function run(boundaries: ActionBoundaries = {}): Promise<void> {
  try {
    const config = parseConfig(
      (name) => core.getInput(name),
      (name) => `input '${name}'`,
      actionDefaults(),
    );
    await prepareActionData(config, boundaries.dataCache);
    const url = runUrl();
    const source = {
      ...(process.env.GITHUB_SHA ? { commit: process.env.GITHUB_SHA } : {}),
      ...(process.env.GITHUB_REF ? { ref: process.env.GITHUB_REF } : {}),
      ...(url ? { runUrl: url } : {}),
    };
    const io = boundaries.run ?? {
      ...localRunBoundaries(config),
      prepare: (device: Device) => ensureFrameworksInstalled(packageRoot(), device, (m) => core.info(m)),
    };
    const out = await executeRun(config, io, actionsReporter(), {
      source,
      ...(url ? { runUrl: url } : {}),
    });

    await core.summary.addRaw(out.markdown).write();
    core.setOutput("results-path", config.resultsPath);
    core.setOutput("report-path", config.reportPath);
    core.setOutput("regression", String(out.comparison.regressed));

    const annotate = config.failOnRegression ? core.error : core.warning;
    for (const c of out.comparison.cases) {
      if (c.verdict === "regression") {
        const worst = c.metrics.filter((m) => m.verdict === "regression");
        const detail = worst.map((m) => `${METRICS[m.metric].label} ${formatChange(m.change)}`).join(", ");
        annotate(`${c.id}: ${detail} against the baseline`, { title: `Performance regression: ${c.id}` });
      } else if (c.verdict === "failed") {
        annotate(`${c.id} failed: ${c.note ?? "no reason given"}`, { title: `Benchmark failed: ${c.id}` });
      }
    }
    if (out.comparison.regressed && config.failOnRegression) {
      core.setFailed(`rosetta-bench: performance regressed (see the job summary)`);
    }
  } catch (err) {
    core.setFailed(err instanceof Error ? err.message : String(err));
  }
}
