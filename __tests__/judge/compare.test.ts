import { describe, expect, it } from "vitest";
import { mergeIntoBaseline } from "../../src/store/baseline-file.js";
import { compareWithBaseline } from "../../src/judge/compare.js";
import { judgeMetric, type JudgeOptions } from "../../src/judge/decide.js";
import { slowdownExplainedBy } from "../../src/run/cpu-share.js";
import { median } from "../../src/judge/statistics.js";
import { baselineSchema, type Baseline } from "../../src/core/baseline-schema.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { COMPARE_DEFAULTS, ENVIRONMENT, jittered, okCase, results } from "../helpers.js";

const options = COMPARE_DEFAULTS;
const baseline = mergeIntoBaseline(undefined, results([okCase("onnxruntime-node", 20), okCase("tfjs", 2)]));
const verdicts = (r: ReturnType<typeof compareWithBaseline>) => r.cases.map((c) => [c.framework, c.verdict]);

describe("compareWithBaseline: timing", () => {
  it("calls a confirmed slowdown beyond the threshold a regression, with its p-value", () => {
    const c = compareWithBaseline(results([okCase("onnxruntime-node", 18), okCase("tfjs", 2.02)]), baseline, options);
    expect(verdicts(c)).toEqual([
      ["onnxruntime-node", "regression"],
      ["tfjs", "unchanged"],
    ]);
    const ort = c.cases[0];
    expect(ort?.metrics.map((m) => [m.metric, m.verdict])).toEqual([
      ["images_per_s", "info"], // the same fact as the median batch time: shown, not judged twice
      ["batch_s_median", "regression"],
      ["s_per_1000_images", "info"],
    ]);
    expect(ort?.metrics[1]?.change).toBeCloseTo(20 / 18 - 1);
    // Eight samples each, fully separated even after the margin: p = 2 / C(16, 8).
    expect(ort?.metrics[1]?.p).toBeCloseTo(2 / 12870, 10);
    expect(c.regressed).toBe(true);
  });

  it("calls a confirmed speed-up an improvement, and a change within the threshold unchanged", () => {
    const c = compareWithBaseline(results([okCase("onnxruntime-node", 23), okCase("tfjs", 1.92)]), baseline, options);
    expect(verdicts(c)).toEqual([
      ["onnxruntime-node", "improvement"],
      ["tfjs", "unchanged"],
    ]);
    expect(c.regressed).toBe(false);
  });

  it("says inconclusive, not unchanged, when a slowdown beyond the threshold cannot be confirmed", () => {
    // Medians 10% apart, but the samples overlap widely.
    const noisy = (center: number) => [0.6, 0.8, 0.9, 1, 1.1, 1.25, 1.4].map((f) => f * center);
    const base = mergeIntoBaseline(undefined, results([okCase("tfjs", 2, { samples: { batch_s: noisy(2) } })]));
    const run = results([okCase("tfjs", 1.8, { samples: { batch_s: noisy(2.2) } })]);
    const c = compareWithBaseline(run, base, options);
    expect(c.cases[0]?.verdict).toBe("inconclusive");
    expect(c.cases[0]?.note).toMatch(
      /^median batch time: looks like a regression, but not significant \(p = 0\.\d+ ≥ 0\.01\)$/,
    );
    expect(c.regressed).toBe(false);
  });

  it("says inconclusive when there are too few samples to test", () => {
    const few = (center: number) => ({ samples: { batch_s: jittered(center, 4) } });
    const base = mergeIntoBaseline(undefined, results([okCase("tfjs", 2, few(2))]));
    const c = compareWithBaseline(results([okCase("tfjs", 1.5, few(2.67))]), base, options);
    expect(c.cases[0]?.note).toBe(
      "median batch time: looks like a regression, but too few samples to tell (4 and 4; 5 each needed)",
    );
  });

  it("calls a CPU slowdown measured while other processes took the machine inconclusive, naming their share", () => {
    // The same clear 11% slowdown as above, measured while others took 40% of the CPU.
    const shared = compareWithBaseline(
      results([okCase("onnxruntime-node", 18, { cpuOthersShare: 0.4 }), okCase("tfjs", 2.02)]),
      baseline,
      options,
    );
    expect(verdicts(shared)).toEqual([
      ["onnxruntime-node", "inconclusive"],
      ["tfjs", "unchanged"],
    ]);
    expect(shared.cases[0]?.note).toBe(
      "median batch time: looks like a regression, but other processes took 40% of the machine's CPU while it ran",
    );
    expect(shared.regressed).toBe(false);
    // Below the limit (CPU_SHARED_LIMIT, 15%) the slowdown stands.
    const quiet = compareWithBaseline(
      results([okCase("onnxruntime-node", 18, { cpuOthersShare: 0.1 })]),
      baseline,
      options,
    );
    expect(quiet.cases[0]?.verdict).toBe("regression");
  });

  it("keeps a slowdown beyond what the neighbours could explain a regression, saying so", () => {
    // Others took 40%: they explain at most 1.05 / 0.6² ≈ 2.9× slower; this case is 4× slower.
    expect(slowdownExplainedBy(0.4)).toBeCloseTo(1 / 0.36);
    expect(slowdownExplainedBy(0)).toBe(1);
    const c = compareWithBaseline(results([okCase("onnxruntime-node", 5, { cpuOthersShare: 0.4 })]), baseline, options);
    expect(c.cases[0]?.verdict).toBe("regression");
    expect(c.cases[0]?.note).toBe(
      "median batch time: other processes took 40% of the machine's CPU while it ran, which explains at most 2.9× slower",
    );
    expect(c.regressed).toBe(true);
  });

  it("keeps a speed-up despite a busy machine, and never discounts a GPU case for its CPU neighbours", () => {
    const faster = compareWithBaseline(
      results([okCase("onnxruntime-node", 23, { cpuOthersShare: 0.6 })]),
      baseline,
      options,
    );
    expect(faster.cases[0]?.verdict).toBe("improvement");
    const gpu = (ips: number, extra: Partial<Parameters<typeof okCase>[2]> = {}) =>
      okCase("onnxruntime-node", ips, { id: "resnet50-features/onnxruntime-node/gpu/smoke", device: "gpu", ...extra });
    const gpuBase = mergeIntoBaseline(undefined, results([gpu(20)]));
    const c = compareWithBaseline(results([gpu(18, { cpuOthersShare: 0.6 })]), gpuBase, options);
    expect(c.cases[0]?.verdict).toBe("regression");
  });

  it("applies a per-workload threshold in place of the global one", () => {
    const run = results([okCase("onnxruntime-node", 19.2)]); // 4% slower
    expect(compareWithBaseline(run, baseline, options).cases[0]?.verdict).toBe("unchanged");
    const strict = { ...options, workloadThresholds: { "resnet50-features": 0.03 } };
    expect(compareWithBaseline(run, baseline, strict).cases[0]?.verdict).toBe("regression");
  });

  it("does not judge a metric whose baseline is zero", () => {
    const zero = mergeIntoBaseline(undefined, results([okCase("tfjs", 2, { metrics: { batch_s_median: 0 } })]));
    const c = compareWithBaseline(results([okCase("tfjs", 2)]), zero, options);
    expect(c.cases[0]?.metrics.find((m) => m.metric === "batch_s_median")?.verdict).toBe("not-judged");
  });
});

describe("compareWithBaseline: accuracy", () => {
  const withAccuracy = (accuracy: number) =>
    okCase("tfjs", 2, { metrics: { ...okCase("tfjs", 2).metrics, test_accuracy: accuracy } });
  const base = mergeIntoBaseline(undefined, results([withAccuracy(77.0)]));

  it.each([
    [75.9, "regression"],
    [76.2, "unchanged"],
    [78.5, "improvement"],
  ])("judges test accuracy %d%% against 77%% with a 1-point tolerance: %s", (accuracy, verdict) => {
    const c = compareWithBaseline(results([withAccuracy(accuracy)]), base, options);
    const m = c.cases[0]?.metrics.find((x) => x.metric === "test_accuracy");
    expect(m?.verdict).toBe(verdict);
    expect(m?.change).toBeCloseTo(accuracy - 77);
  });
});

describe("compareWithBaseline: cases that are not judged", () => {
  it("does not judge a case whose baseline comes from another testbed, and says what differs", () => {
    const gpuBox = { ...ENVIRONMENT, gpus: [{ name: "NVIDIA H100 80GB HBM3", driver: "580.65" }], cuda: "13.0" };
    const c = compareWithBaseline(results([okCase("onnxruntime-node", 5)], gpuBox), baseline, options);
    expect(c.cases[0]).toMatchObject({
      verdict: "not-judged",
      note: "the baseline has this case only from another testbed (differs in gpus)",
    });
    expect(c.regressed).toBe(false);
  });

  it("judges a run after a driver or framework change by default, naming what changed; strict matching does not", () => {
    const gpu = (driver: string, cuda: string) => ({
      ...ENVIRONMENT,
      gpus: [{ name: "NVIDIA H100 80GB HBM3", driver }],
      cuda,
      frameworks: { "onnxruntime-node": "1.30.0" },
    });
    const before = mergeIntoBaseline(undefined, results([okCase("onnxruntime-node", 20)], gpu("570.86", "12.8")));
    const after = results(
      [okCase("onnxruntime-node", 12, { framework: { id: "onnxruntime-node", version: "1.29.0" } })],
      gpu("580.159", "13.0"),
    );
    const judged = compareWithBaseline(after, before, options);
    expect(verdicts(judged)).toEqual([["onnxruntime-node", "regression"]]);
    expect(judged.changes).toEqual(["onnxruntime-node 1.30.0 → 1.29.0", "driver 570.86 → 580.159", "CUDA 12.8 → 13.0"]);
    const strict = compareWithBaseline(after, before, { ...options, testbedMatch: "strict" });
    expect(strict.cases[0]).toMatchObject({
      verdict: "not-judged",
      note: "the baseline has this case only from another testbed (differs in gpuDriver, cuda)",
    });
    expect(strict.changes).toEqual([]);
  });

  it("reads a baseline written by rosetta-bench 0.1 (driver in the testbed) and judges a newer driver against it", () => {
    // The file is in the format 0.1 wrote (its README's example), with a GPU entry added.
    const old = JSON.parse(
      readFileSync(join(import.meta.dirname, "../fixtures/baseline-v0.1.json"), "utf8"),
    ) as Baseline;
    expect(baselineSchema.parse(old)).toEqual(old);
    const box = { ...ENVIRONMENT, gpus: [{ name: "NVIDIA H100 80GB HBM3", driver: "580.159" }], cuda: "13.0" };
    const gpuCase = okCase("onnxruntime-node", 400, {
      id: "resnet50-features/onnxruntime-node/gpu/smoke",
      device: "gpu",
      samples: { batch_s: [0.0099, 0.0101, 0.01, 0.0102, 0.0098, 0.01] },
      metrics: { images_per_s: 400, batch_s_median: 0.01, s_per_1000_images: 2.5 },
    });
    const judged = compareWithBaseline(results([gpuCase], box), old, options);
    expect(verdicts(judged)[0]).toEqual(["onnxruntime-node", "unchanged"]);
    expect(judged.changes).toEqual(["driver 570.86 → 580.159", "CUDA 12.8 → 13.0"]);
    // Merged, the new driver's figures replace the old entry instead of sitting beside it.
    const merged = mergeIntoBaseline(old, results([gpuCase], box));
    expect(merged.entries).toHaveLength(2);
    expect(merged.entries[1]?.testbed.gpuDriver).toBe("580.159");
  });

  it("shows new, missing, failed and unavailable cases, and gates on a failed one unless told not to", () => {
    const run = results([
      okCase("onnxruntime-node", 20),
      okCase("tfjs-node", 3),
      { ...okCase("tfjs", 2), status: "failed", reason: "timed out after 60 s", metrics: {}, samples: {} },
      { ...okCase("tfjs-node-gpu", 2), status: "unavailable", reason: "not installed", metrics: {}, samples: {} },
    ]);
    const c = compareWithBaseline(run, baseline, options);
    expect(verdicts(c)).toEqual([
      ["onnxruntime-node", "unchanged"],
      ["tfjs-node", "new"],
      ["tfjs", "failed"],
      ["tfjs-node-gpu", "unavailable"],
    ]);
    expect(c.regressed).toBe(true);
    expect(compareWithBaseline(run, baseline, { ...options, failedIsRegression: false }).regressed).toBe(false);

    expect(c.nothingMeasured).toBe(false);

    const partial = compareWithBaseline(results([okCase("tfjs", 2)]), baseline, options);
    expect(verdicts(partial)).toEqual([
      ["tfjs", "unchanged"],
      ["onnxruntime-node", "missing"],
    ]);
  });

  it("reports every case as new without a baseline", () => {
    const c = compareWithBaseline(results([okCase("tfjs", 2)]), undefined, options);
    expect(c.hasBaseline).toBe(false);
    expect(verdicts(c)).toEqual([["tfjs", "new"]]);
    expect(c.regressed).toBe(false);
  });
});

describe("compareWithBaseline: a run that measured nothing", () => {
  const unavailable = (framework: string) => ({
    ...okCase(framework, 2),
    device: "gpu" as const,
    id: `resnet50-features/${framework}/gpu/smoke`,
    status: "unavailable" as const,
    reason: "no CUDA provider",
    metrics: {},
    samples: {},
  });

  it("fails the gate, with or without a baseline, unless allowed", () => {
    for (const base of [baseline, undefined]) {
      const run = results([unavailable("onnxruntime-node"), unavailable("tfjs-node-gpu")]);
      const c = compareWithBaseline(run, base, { ...options, failedIsRegression: false });
      expect(c.nothingMeasured).toBe(true);
      expect(c.counts.regression).toBe(0);
      expect(c.regressed).toBe(true);
      expect(compareWithBaseline(run, base, { ...options, allowEmpty: true }).regressed).toBe(false);
    }
    const none = compareWithBaseline(results([]), baseline, options);
    expect(none.nothingMeasured).toBe(true);
    expect(none.regressed).toBe(true);
  });
});

describe("judgeMetric: the gate and the margin the benchmarks vary", () => {
  // Ten samples within ±0.2%: any shift of a percent or more is clean.
  const side = (center: number) => {
    const samples = Array.from({ length: 10 }, (_, i) => center * (1 + 0.002 * Math.sin(i * 2.1)));
    return { value: median(samples), samples };
  };
  const judge = (cur: number, extra: Partial<JudgeOptions> = {}) =>
    judgeMetric("batch_s_median", side(1), side(cur), { threshold: 0.05, accuracyTolerance: 1, ...extra }).verdict;

  it("judges only moves beyond the gate's share of the threshold (all of it by default)", () => {
    expect(judge(1.04)).toBe("unchanged");
    expect(judge(1.04, { gateShare: 1 })).toBe("unchanged");
    // Past 60% of the threshold, a clean 4% shift is tested and confirmed beyond 70% of it (3.5%).
    expect(judge(1.04, { gateShare: 0.6 })).toBe("regression");
  });

  it("asks the rank test to confirm the margin's share of the threshold", () => {
    // A clean 4% shift, tested past a 60% gate: beyond 3.5% (the default margin) it is, beyond the whole 5% it is not.
    expect(judge(1.04, { gateShare: 0.6 })).toBe("regression");
    expect(judge(1.04, { gateShare: 0.6, marginShare: 1 })).toBe("inconclusive");
  });

  it("never confirms a slowdown whose samples lie short of the moved baseline (the test is two-sided)", () => {
    // Significantly different from the baseline moved by 5%, but on the near side of it: not a 5% slowdown.
    const j = judgeMetric("batch_s_median", side(1), side(1.04), {
      threshold: 0.05,
      accuracyTolerance: 1,
      gateShare: 0.6,
      marginShare: 1,
    });
    expect(j.p).toBeLessThan(0.01);
    expect(j).toMatchObject({ verdict: "inconclusive", note: "looks like a regression, but by less than 5% for sure" });
  });
});
