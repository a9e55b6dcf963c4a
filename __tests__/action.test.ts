import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resultsSchema, type Results } from "../src/results/schema.js";
import { mergeIntoBaseline } from "../src/baseline/io.js";
import { cleanEnv, readOutputs, ROOT, runNode } from "./process.js";
import { tempDir } from "./helpers.js";

/** Runs dist/index.js the way a runner does: inputs as INPUT_*, files for outputs and summary. */
async function runAction(workspace: string, inputs: Record<string, string>) {
  const outputPath = join(workspace, "github-output");
  const summaryPath = join(workspace, "step-summary.md");
  await writeFile(outputPath, "");
  await writeFile(summaryPath, "");
  const env = cleanEnv({
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: join(ROOT, "fixtures/events/pull_request.json"),
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: "octo-org/model-lib",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: "4242",
    GITHUB_SHA: "9b7a5f3e1d0c8b6a4f2e0d8c6f4a5b7e9d1c2a3f",
    GITHUB_REF: "refs/pull/42/merge",
    RUNNER_TEMP: join(workspace, "runner-temp"),
  });
  const proc = await runNode("dist/index.js", [], { cwd: workspace, env });
  return { ...proc, outputs: await readOutputs(outputPath), summary: await readFile(summaryPath, "utf8") };
}

describe("the action (node dist/index.js)", () => {
  it("runs, reports an unavailable framework, writes the summary and outputs, then gates a regression", async () => {
    const workspace = await tempDir();
    const inputs = { frameworks: "onnxruntime-node, tfjs-node-gpu", profile: "smoke" };
    const first = await runAction(workspace, inputs);

    expect(first.code).toBe(0);
    const resultsPath = join(workspace, "runner-temp/rosetta-bench/results.json");
    expect(first.outputs).toEqual({
      "results-path": resultsPath,
      "report-path": join(workspace, "runner-temp/rosetta-bench/results.md"),
      regression: "false",
    });
    const results: Results = resultsSchema.parse(JSON.parse(await readFile(resultsPath, "utf8")));
    expect(results.cases.map((c) => [c.framework.id, c.device, c.status])).toEqual([
      ["onnxruntime-node", "cpu", "ok"],
      ["tfjs-node-gpu", "gpu", "unavailable"],
    ]);
    expect(results.cases[0]?.samples.batch_s).toHaveLength(4);
    expect(results.source).toEqual({
      commit: "9b7a5f3e1d0c8b6a4f2e0d8c6f4a5b7e9d1c2a3f",
      ref: "refs/pull/42/merge",
      runUrl: "https://github.com/octo-org/model-lib/actions/runs/4242",
    });
    expect(first.summary).toContain("**✅ No regression: 1 new, 1 unavailable**");
    expect(first.summary).toContain("| resnet50-features | tfjs-node-gpu");
    expect(first.summary).toContain("[Workflow run](https://github.com/octo-org/model-lib/actions/runs/4242)");
    expect(first.stdout).toMatch(
      /::warning::resnet50-features\/tfjs-node-gpu\/gpu\/smoke is unavailable: @tensorflow\/tfjs-node-gpu could not be loaded/,
    );

    // A baseline twice as fast as this machine: the next run must regress and fail the step.
    const faster = structuredClone(results);
    for (const c of faster.cases) {
      if (c.metrics.images_per_s) c.metrics.images_per_s *= 2;
      if (c.metrics.batch_s_median) c.metrics.batch_s_median /= 2;
    }
    await mkdir(join(workspace, ".rosetta-bench"));
    await writeFile(
      join(workspace, ".rosetta-bench/baseline.json"),
      JSON.stringify(mergeIntoBaseline(undefined, faster)),
    );

    const second = await runAction(workspace, { ...inputs, frameworks: "onnxruntime-node" });
    expect(second.code).toBe(1);
    expect(second.outputs.regression).toBe("true");
    expect(second.stdout).toContain(
      "::error title=Performance regression%3A resnet50-features/onnxruntime-node/cpu/smoke::",
    );
    expect(second.stdout).toContain("::error::rosetta-bench: performance regressed (see the job summary)");
    expect(second.summary).toContain("**🔴 Performance regressed: 1 regression**");

    // The same regression without gating: reported, annotated as a warning, the step passes.
    const third = await runAction(workspace, {
      ...inputs,
      frameworks: "onnxruntime-node",
      "fail-on-regression": "false",
    });
    expect(third.code).toBe(0);
    expect(third.outputs.regression).toBe("true");
    expect(third.stdout).toContain(
      "::warning title=Performance regression%3A resnet50-features/onnxruntime-node/cpu/smoke::",
    );
  });

  it("fails on a malformed baseline with one line naming the file, before running anything", async () => {
    const workspace = await tempDir();
    await mkdir(join(workspace, ".rosetta-bench"));
    const baselinePath = join(workspace, ".rosetta-bench/baseline.json");
    await writeFile(baselinePath, '{"schemaVersion": 1, "entries": "oops"}');
    const run = await runAction(workspace, {});
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error::baseline file '.rosetta-bench\/baseline.json' is not a valid baseline file at entries: Invalid input: expected array, received string\n/,
    );
    expect(existsSync(join(workspace, "runner-temp"))).toBe(false);
    expect(await readFile(baselinePath, "utf8")).toBe('{"schemaVersion": 1, "entries": "oops"}');
  });

  it("fails on an unknown framework, naming the input and the accepted values", async () => {
    const workspace = await tempDir();
    const run = await runAction(workspace, { frameworks: "tfjs, pytorch" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "::error::input 'frameworks': 'pytorch' is not accepted; accepted: tfjs, tfjs-node, tfjs-node-gpu, onnxruntime-node",
    );
    expect(run.outputs).toEqual({});
  });

  it("fails on a dataset mirror that is not an http(s) URL, naming the input", async () => {
    const workspace = await tempDir();
    const run = await runAction(workspace, { "data-mirror": "ftp://mirror.example.com/ml" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "::error::input 'data-mirror': 'ftp://mirror.example.com/ml' is not accepted; accepted: an http:// or https:// base URL serving the dataset files, such as https://mirror.example.com/datasets",
    );
    expect(run.outputs).toEqual({});
  });
});
