import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mergeIntoBaseline } from "../src/store/baseline-file.js";
import { commentMarker } from "../src/github/comments.js";
import { resultsSchema, type Results } from "../src/core/results-schema.js";
import { startFakeGitHub, unrelatedComments, type FakeGitHub } from "./github-server.js";
import { ENVIRONMENT, okCase, results, tempDir } from "./helpers.js";
import { cleanEnv, readOutputs, ROOT, runNode } from "./process.js";

const HEAD_SHA = "9b7a5f3e1d0c8b6a4f2e0d8c6f4a5b7e9d1c2a3f";
type EventName = "pull_request" | "push" | "workflow_run";

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await startFakeGitHub("octo-org", "model-lib");
  gh.pulls.set(42, { number: 42, head: { sha: HEAD_SHA } });
});
afterEach(() => gh.close());

/**
 * Runs dist/index.js the way a runner does: inputs as INPUT_*, files for outputs and summary.
 * Most tests run only tfjs-node-gpu, unavailable here, for speed: they say `allow-empty` so the
 * gate judges what they are about; the test of a run that measured nothing leaves it out.
 */
async function runAction(workspace: string, inputs: Record<string, string>, event: EventName = "pull_request") {
  const outputPath = join(workspace, "github-output");
  const summaryPath = join(workspace, "step-summary.md");
  await writeFile(outputPath, "");
  await writeFile(summaryPath, "");
  const env = cleanEnv({
    ...Object.fromEntries(
      Object.entries({
        "github-token": "ghs_test",
        workloads: "resnet50-features",
        "allow-empty": "true",
        ...inputs,
      }).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
    ),
    GITHUB_ACTIONS: "true",
    GITHUB_API_URL: gh.url,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: join(ROOT, `fixtures/events/${event}.json`),
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: "octo-org/model-lib",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: "4242",
    GITHUB_SHA: HEAD_SHA,
    GITHUB_REF: "refs/pull/42/merge",
    RUNNER_TEMP: join(workspace, "runner-temp"),
  });
  const proc = await runNode("dist/index.js", [], { cwd: workspace, env });
  return { ...proc, outputs: await readOutputs(outputPath), summary: await readFile(summaryPath, "utf8") };
}

const writes = () => gh.requests.filter((r) => r.method !== "GET");

describe("the action (node dist/index.js): run mode", () => {
  it("benchmarks, reports an unavailable framework, writes summary and outputs, then gates a confirmed regression", async () => {
    const workspace = await tempDir();
    const inputs = { frameworks: "onnxruntime-node, tfjs-node-gpu", profile: "smoke" };
    const first = await runAction(workspace, inputs);

    expect(first.code).toBe(0);
    const resultsPath = join(workspace, "runner-temp/rosetta-bench/results.json");
    expect(first.outputs).toMatchObject({
      "results-path": resultsPath,
      "report-path": join(workspace, "runner-temp/rosetta-bench/results.md"),
      regression: "false",
    });
    const results: Results = resultsSchema.parse(JSON.parse(await readFile(resultsPath, "utf8")));
    expect(results.cases.map((c) => [c.framework.id, c.device, c.status])).toEqual([
      ["onnxruntime-node", "cpu", "ok"],
      ["tfjs-node-gpu", "gpu", "unavailable"],
    ]);
    expect(results.cases[0]?.samples.batch_s).toHaveLength(6);
    expect(results.source).toEqual({
      commit: HEAD_SHA,
      ref: "refs/pull/42/merge",
      runUrl: "https://github.com/octo-org/model-lib/actions/runs/4242",
    });
    expect(first.summary).toContain("**✅ No regression: 1 new, 1 unavailable**");
    expect(first.summary).toContain("| tfjs-node-gpu");
    expect(first.stdout).toMatch(
      /::warning::resnet50-features\/tfjs-node-gpu\/gpu\/smoke is unavailable: (tfjs-node-gpu \(libtensorflow 2\.9\.1\) needs CUDA 11\.2 and cuDNN 8\.1|@tensorflow\/tfjs-node-gpu could not be loaded)/,
    );
    // One sticky comment, created once, carrying the same report as the summary.
    expect(writes()).toEqual([{ method: "POST", path: "/repos/octo-org/model-lib/issues/42/comments" }]);
    const [comment] = gh.comments.get(42) ?? [];
    // The summary alone adds the runner's diagnosis (a GPU case could not run): it is for the runner's keeper.
    const [report, diagnosis] = first.summary.split("\n<details><summary>Runner diagnosis");
    expect(diagnosis).toContain("tfjs-node-gpu on the gpu: not tried (no GPU)");
    expect(comment?.body).toBe(`${commentMarker("default")}\n${report}`);
    expect(first.outputs["comment-url"]).toBe(comment?.html_url);
    // The hand-off for a workflow_run job that comments on forks' pull requests.
    expect(JSON.parse(await readFile(join(workspace, "runner-temp/rosetta-bench/pull-request.json"), "utf8"))).toEqual({
      number: 42,
      headSha: HEAD_SHA,
    });

    // A baseline 50 times faster than this machine (far beyond any noise of a shared
    // machine): the next run must regress and fail the step.
    const faster = structuredClone(results);
    for (const c of faster.cases) {
      if (c.metrics.images_per_s) c.metrics.images_per_s *= 50;
      if (c.metrics.batch_s_median) c.metrics.batch_s_median /= 50;
      if (c.samples.batch_s) c.samples.batch_s = c.samples.batch_s.map((v) => v / 50);
    }
    await mkdir(join(workspace, ".rosetta-bench"));
    await writeFile(
      join(workspace, ".rosetta-bench/baseline.json"),
      JSON.stringify(mergeIntoBaseline(undefined, faster)),
    );

    const second = await runAction(workspace, { ...inputs, frameworks: "onnxruntime-node" });
    expect(second.code).toBe(1);
    expect(second.outputs.regression).toBe("true");
    expect(second.stdout).toContain("Re-running 1 case(s) that look like regressions, to decide on pooled samples");
    expect(second.stdout).toContain(
      "::error title=Performance regression%3A resnet50-features/onnxruntime-node/cpu/smoke::",
    );
    expect(second.stdout).toContain("::error::rosetta-bench: performance regressed (see the job summary)");
    expect(second.summary).toContain("**🔴 Performance regressed: 1 regression**");
    expect(second.summary).toContain("confirmed by a re-run: 2 runs pooled");
    // The same comment, updated: never a second one.
    expect(gh.comments.get(42)).toHaveLength(1);
    expect(writes().map((w) => w.method)).toEqual(["POST", "PATCH"]);
    expect(gh.comments.get(42)?.[0]?.body).toContain("🔴 Performance regressed");
  });

  it("falls back to the summary with one warning when the token cannot write (a fork's pull request)", async () => {
    const workspace = await tempDir();
    gh.denyWrites = 403;
    const run = await runAction(workspace, { frameworks: "tfjs-node-gpu" });
    expect(run.code).toBe(0);
    const warnings = run.stdout.split("\n").filter((l) => l.startsWith("::warning::Cannot write the PR comment"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("HTTP 403");
    expect(run.summary).toContain("## rosetta-bench");
    expect(run.outputs["comment-url"]).toBe("");
    expect(existsSync(join(workspace, "runner-temp/rosetta-bench/results.md"))).toBe(true);
    expect(existsSync(join(workspace, "runner-temp/rosetta-bench/pull-request.json"))).toBe(true);
  });

  it("posts no comment on a push event, and still writes the job summary", async () => {
    const workspace = await tempDir();
    const run = await runAction(workspace, { frameworks: "tfjs-node-gpu" }, "push");
    expect(run.code).toBe(0);
    expect(gh.requests).toEqual([]);
    expect(run.summary).toContain("## rosetta-bench");
    expect(run.stdout).toContain("No pull request in this 'push' event: the report is in the job summary only.");
  });

  it("comments only on a regression with comment: on-regression", async () => {
    const workspace = await tempDir();
    const run = await runAction(workspace, { frameworks: "tfjs-node-gpu", comment: "on-regression" });
    expect(run.code).toBe(0);
    expect(writes()).toEqual([]);
    expect(run.stdout).toContain("PR comment skipped");
  });

  it("fails the step when nothing was measured, with a warning headline, unless allow-empty", async () => {
    const workspace = await tempDir();
    const run = await runAction(
      workspace,
      { frameworks: "tfjs-node-gpu", comment: "never", "allow-empty": "" },
      "push",
    );
    expect(run.code).toBe(1);
    expect(run.summary).toContain("**⚠️ Nothing measured: 1 unavailable**");
    // A GPU case could not run: the runner's diagnosis follows the report, collapsed.
    expect(run.summary).toContain(
      "<details><summary>Runner diagnosis (<code>rosetta-bench doctor</code>): a GPU case could not run</summary>",
    );
    expect(run.summary).toContain("GPUs: none (no nvidia-smi, or it lists no GPU): GPU cases cannot run here");
    expect(run.summary).toMatch(/ {2}onnxruntime-node on the cpu: ✅ loads; runs on CPUExecutionProvider/);
    expect(run.summary).toContain("  tfjs-node-gpu on the gpu: not tried (no GPU)");
    expect(run.outputs.regression).toBe("true");
    expect(run.stdout).toContain(
      "::error::rosetta-bench: nothing was measured (every case unavailable or failed) (see the job summary); set allow-empty: true where that is intended",
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

  it("fails on an unknown framework or comment setting, naming the input and the accepted values", async () => {
    const workspace = await tempDir();
    const run = await runAction(workspace, { frameworks: "tfjs, mxnet" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "::error::input 'frameworks': 'mxnet' is not accepted; accepted: tfjs, tfjs-node, tfjs-node-gpu, onnxruntime-node, pytorch",
    );
    const bad = await runAction(workspace, { comment: "sometimes" });
    expect(bad.stdout).toContain(
      "::error::input 'comment': 'sometimes' is not accepted; accepted: always, on-regression, never",
    );
    expect(gh.requests).toEqual([]);
  });
});

describe("the action (node dist/index.js): comment mode, on workflow_run", () => {
  /** The files a pull request's run leaves for the trusted workflow: results and the hand-off. */
  async function downloadedArtifact(workspace: string) {
    const first = await runAction(workspace, { frameworks: "tfjs-node-gpu", comment: "never" });
    expect(first.code).toBe(0);
    return join(workspace, "runner-temp/rosetta-bench/results.json");
  }

  it("finds the sticky comment on any page, updates it, and makes no write when nothing changed", async () => {
    const workspace = await tempDir();
    const resultsPath = await downloadedArtifact(workspace);
    const ours = {
      id: 999,
      body: `${commentMarker("default")}\nold report`,
      html_url: "https://github.com/o/r/pull/42#c999",
      user: { login: "github-actions[bot]", type: "Bot" },
    };
    gh.comments.set(42, [...unrelatedComments(150, "octo-org", "model-lib", 42), ours]);
    const inputs = { mode: "comment", "results-path": resultsPath };

    const update = await runAction(workspace, inputs, "workflow_run");
    expect(update.stderr).toBe("");
    expect(update.code).toBe(0);
    expect(gh.requests.filter((r) => r.path.includes("/comments?")).map((r) => r.path)).toEqual([
      "/repos/octo-org/model-lib/issues/42/comments?per_page=100",
      "/repos/octo-org/model-lib/issues/42/comments?per_page=100&page=2",
    ]);
    expect(writes()).toEqual([{ method: "PATCH", path: "/repos/octo-org/model-lib/issues/comments/999" }]);
    expect(ours.body).toContain("[Workflow run](https://github.com/octo-org/model-lib/actions/runs/4242)");
    expect(update.outputs["comment-url"]).toBe("https://github.com/o/r/pull/42#c999");

    const again = await runAction(workspace, inputs, "workflow_run");
    expect(again.code).toBe(0);
    expect(writes()).toHaveLength(1);
    expect(again.stdout).toContain("PR comment unchanged");
  });

  it("never edits a comment someone else wrote with our marker, and finds ours by its author", async () => {
    const workspace = await tempDir();
    const resultsPath = await downloadedArtifact(workspace);
    const planted = {
      id: 500,
      body: `${commentMarker("default")}\n**✅ No regression** (trust me)`,
      html_url: "https://github.com/o/r/pull/42#c500",
      user: { login: "mallory", type: "User" },
    };
    gh.comments.set(42, [planted]);
    const inputs = { mode: "comment", "results-path": resultsPath };

    const first = await runAction(workspace, inputs, "workflow_run");
    expect(first.code).toBe(0);
    expect(planted.body).toBe(`${commentMarker("default")}\n**✅ No regression** (trust me)`);
    expect(writes()).toEqual([{ method: "POST", path: "/repos/octo-org/model-lib/issues/42/comments" }]);
    expect(gh.requests.some((r) => r.method === "GET" && r.path === "/user")).toBe(true);
    const ours = gh.comments.get(42)?.find((c) => c.user.login === "github-actions[bot]");
    expect(ours?.body.startsWith(commentMarker("default"))).toBe(true);

    // With a personal token, its user's comment is the sticky one; the Actions bot's is not.
    gh.tokenUser = "release-bot";
    const second = await runAction(workspace, inputs, "workflow_run");
    expect(second.code).toBe(0);
    expect(writes().slice(1)).toEqual([{ method: "POST", path: "/repos/octo-org/model-lib/issues/42/comments" }]);
    // And comment-author names it outright, without asking GitHub.
    const before = gh.requests.filter((r) => r.path === "/user").length;
    const third = await runAction(workspace, { ...inputs, "comment-author": "release-bot" }, "workflow_run");
    expect(third.code).toBe(0);
    expect(third.stdout).toContain("PR comment unchanged");
    expect(gh.requests.filter((r) => r.path === "/user")).toHaveLength(before);
    expect(planted.body).toContain("(trust me)");
  });

  it("refuses to comment when the pull request's head is not the commit that was tested", async () => {
    const workspace = await tempDir();
    const resultsPath = await downloadedArtifact(workspace);
    gh.pulls.set(42, { number: 42, head: { sha: "0".repeat(40) } });
    const run = await runAction(workspace, { mode: "comment", "results-path": resultsPath }, "workflow_run");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `::error::refusing to comment on pull request #42: its head ${"0".repeat(40)} is not the commit the run tested (${HEAD_SHA})`,
    );
    expect(writes()).toEqual([]);
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

describe("the action (node dist/index.js): report mode, for a fleet's results files", () => {
  it("writes one summary and one sticky comment for three testbeds, judged each against its own entries, and gates", async () => {
    const workspace = await tempDir();
    const box = (model: string) => ({ ...ENVIRONMENT, cpu: { model, cores: 8 } });
    const [a, b, c] = [box("Runner A CPU"), box("Runner B CPU"), box("Runner C CPU")];
    const before = (env: typeof a) => results([okCase("onnxruntime-node", 20)], env);
    let baseline = mergeIntoBaseline(undefined, before(a));
    baseline = mergeIntoBaseline(baseline, before(b));
    await mkdir(join(workspace, ".rosetta-bench"));
    await writeFile(join(workspace, ".rosetta-bench/baseline.json"), JSON.stringify(baseline));
    // What actions/download-artifact leaves: one folder per matrix job.
    const files = { a: before(a), b: results([okCase("onnxruntime-node", 20 / 1.6)], b), c: before(c) };
    for (const [job, r] of Object.entries(files)) {
      await mkdir(join(workspace, "artifacts", `results-${job}`), { recursive: true });
      await writeFile(join(workspace, "artifacts", `results-${job}`, "results.json"), JSON.stringify(r));
    }
    const inputs = { mode: "report", "results-files": "artifacts/**/*.json", "report-path": "fleet.md" };

    const first = await runAction(workspace, inputs);
    expect(first.code).toBe(1);
    expect(first.stdout).toContain("::error::rosetta-bench: the gate fails on artifacts/results-b/results.json");
    expect(first.outputs).toMatchObject({ regression: "true", "report-path": "fleet.md" });
    expect(first.summary.match(/^## .*$/gm)).toEqual([
      "## rosetta-bench on 3 testbeds: ✅ Runner A CPU × 8 · 🔴 Runner B CPU × 8 · ➖ Runner C CPU × 8",
    ]);
    expect(first.summary).toContain("[Workflow run](https://github.com/octo-org/model-lib/actions/runs/4242)");
    expect(await readFile(join(workspace, "fleet.md"), "utf8")).toBe(first.summary);
    expect(writes()).toEqual([{ method: "POST", path: "/repos/octo-org/model-lib/issues/42/comments" }]);
    const [comment] = gh.comments.get(42) ?? [];
    expect(comment?.body).toContain(commentMarker("default"));
    expect(comment?.body).toContain("**🔴 Performance regressed on 1 of 3 testbeds (Runner B CPU × 8)");

    // The same files again: the one comment is unchanged, never a second one.
    const again = await runAction(workspace, inputs);
    expect(again.code).toBe(1);
    expect(writes()).toHaveLength(1);
    expect(gh.comments.get(42)).toHaveLength(1);
  });

  it("names the input when it gives no results file", async () => {
    const workspace = await tempDir();
    const empty = await runAction(workspace, { mode: "report" });
    expect(empty.code).toBe(1);
    expect(empty.stdout).toContain("::error::input 'results-files' is empty; mode 'report' needs the results files");
    const none = await runAction(workspace, { mode: "report", "results-files": "artifacts/*.json" });
    expect(none.stdout).toContain("::error::input 'results-files': 'artifacts/*.json' matches no file");
    expect(writes()).toEqual([]);
  });
});
