import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeIntoBaseline, writeBaseline } from "../../src/store/baseline-file.js";
import { parseConfig } from "../../src/configure/config.js";
import { poolRuns } from "../../src/judge/confirm.js";
import { describeEnvironment } from "../../src/prepare/environment.js";
import type { RunBoundaries } from "../../src/run/cases.js";
import type { Reporter } from "../../src/core/progress.js";
import type { CaseOutcome } from "../../src/core/protocol.js";
import { executeRun } from "../../src/pipeline.js";
import { jittered, okCase, results, tempDir } from "../helpers.js";

const silent: Reporter = { info() {}, warning() {}, caseStarted() {}, caseProgress() {}, caseFinished() {} };

/** A stand-in for the child-process boundary that plays back prepared outcomes in order. */
function playback(outcomes: CaseOutcome[]): RunBoundaries & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    runCase: (spec) => {
      calls.push(spec.id);
      const next = outcomes.shift();
      if (!next) throw new Error(`no outcome prepared for ${spec.id}`);
      return Promise.resolve(next);
    },
    probeGpus: () => Promise.resolve([]),
    probeCuda: () => Promise.resolve(undefined),
    now: () => new Date("2026-11-26T12:00:00Z"),
  };
}

function outcome(batchSeconds: number): CaseOutcome {
  const samples = jittered(batchSeconds, 6);
  return {
    status: "ok",
    samples: { batch_s: samples },
    stderrTail: "",
    durationS: 2,
    result: {
      type: "result",
      framework: { version: "1.30.0", backend: "CPUExecutionProvider", details: {} },
      parameterCount: 23_508_032,
      metrics: { images_per_s: 4 / batchSeconds, batch_s_median: batchSeconds, s_per_1000_images: 250 * batchSeconds },
      probe: [1],
    },
  };
}

async function setup(confirm: boolean) {
  const dir = await tempDir();
  const baselinePath = join(dir, "baseline.json");
  // A baseline for this machine's testbed: 6 samples around 0.2 s per batch.
  const env = describeEnvironment([]);
  const base = okCase("onnxruntime-node", 20, { samples: { batch_s: jittered(0.2, 6) } });
  base.params = { batchSize: 4, batches: 6, imageSize: 224, warmupPasses: 1 };
  await writeBaseline(baselinePath, mergeIntoBaseline(undefined, results([base], env)));
  const inputs: Record<string, string> = {
    frameworks: "onnxruntime-node",
    "baseline-path": baselinePath,
    "results-path": join(dir, "results.json"),
    "confirm-regressions": String(confirm),
  };
  return parseConfig(
    (n) => inputs[n],
    (n) => n,
  );
}

describe("confirmation re-runs", () => {
  it("re-runs a case that looks like a regression and clears it when the second run is normal", async () => {
    const io = playback([outcome(0.26), outcome(0.2)]);
    const out = await executeRun(await setup(true), io, silent);
    expect(io.calls).toEqual([
      "resnet50-features/onnxruntime-node/cpu/smoke",
      "resnet50-features/onnxruntime-node/cpu/smoke",
    ]);
    const c = out.comparison.cases[0];
    expect(c?.runs).toBe(2);
    expect(out.results.cases[0]?.samples.batch_s).toHaveLength(12);
    expect(c?.verdict).not.toBe("regression");
    expect(out.comparison.regressed).toBe(false);
  });

  it("keeps a regression that the second run repeats, deciding on the pooled samples", async () => {
    const io = playback([outcome(0.26), outcome(0.25)]);
    const out = await executeRun(await setup(true), io, silent);
    expect(out.comparison.cases[0]).toMatchObject({ verdict: "regression", runs: 2 });
    expect(out.comparison.cases[0]?.note).toBe("confirmed by a re-run: 2 runs pooled");
    expect(out.comparison.regressed).toBe(true);
  });

  it("re-runs a slowdown a busy CPU made inconclusive, and keeps it inconclusive when the re-run is shared too", async () => {
    const shares = [0.5, 0.05];
    const io = { ...playback([outcome(0.26), outcome(0.26)]), watchCpu: () => ({ stop: () => shares.shift() }) };
    const out = await executeRun(await setup(true), io, silent);
    expect(io.calls).toHaveLength(2);
    expect(out.results.cases[0]?.cpuOthersShare).toBe(0.5);
    expect(out.comparison.cases[0]).toMatchObject({ verdict: "inconclusive", runs: 2 });
    expect(out.comparison.cases[0]?.note).toContain("other processes took 50% of the machine's CPU while it ran");
    expect(out.comparison.regressed).toBe(false);
  });

  it("records the share each run measured, and judges a quiet machine's slowdown a regression", async () => {
    const io = { ...playback([outcome(0.26), outcome(0.26)]), watchCpu: () => ({ stop: () => 0.0123456 }) };
    const out = await executeRun(await setup(true), io, silent);
    expect(out.results.cases[0]?.cpuOthersShare).toBe(0.012);
    expect(out.comparison.cases[0]?.verdict).toBe("regression");
  });

  it("does not re-run when confirmation is off, or when nothing looks wrong", async () => {
    const off = playback([outcome(0.26)]);
    expect((await executeRun(await setup(false), off, silent)).comparison.regressed).toBe(true);
    expect(off.calls).toHaveLength(1);
    const fine = playback([outcome(0.2)]);
    await executeRun(await setup(true), fine, silent);
    expect(fine.calls).toHaveLength(1);
  });
});

describe("poolRuns", () => {
  it("concatenates samples, recomputes the median, averages the other metrics", () => {
    const a = okCase("tfjs", 2, { samples: { batch_s: [1, 2, 3] }, metrics: { batch_s_median: 2, images_per_s: 2 } });
    const b = okCase("tfjs", 4, { samples: { batch_s: [4, 5, 6] }, metrics: { batch_s_median: 5, images_per_s: 4 } });
    const pooled = poolRuns(a, b);
    expect(pooled.samples.batch_s).toEqual([1, 2, 3, 4, 5, 6]);
    expect(pooled.metrics).toEqual({ batch_s_median: 3.5, images_per_s: 3 });
    expect(pooled.runs).toBe(2);
  });

  it("keeps the most shared run's CPU share: pooled samples are as shared as their worst run", () => {
    const a = okCase("tfjs", 2, { cpuOthersShare: 0.05 });
    expect(poolRuns(a, okCase("tfjs", 2, { cpuOthersShare: 0.3 })).cpuOthersShare).toBe(0.3);
    expect(poolRuns(okCase("tfjs", 2, { cpuOthersShare: 0.3 }), a).cpuOthersShare).toBe(0.3);
    expect(poolRuns(a, okCase("tfjs", 2)).cpuOthersShare).toBe(0.05);
    expect(poolRuns(okCase("tfjs", 2), okCase("tfjs", 2))).not.toHaveProperty("cpuOthersShare");
  });

  it("keeps the first run when the second failed", () => {
    const a = okCase("tfjs", 2);
    expect(poolRuns(a, { ...okCase("tfjs", 9), status: "failed" })).toBe(a);
  });
});
