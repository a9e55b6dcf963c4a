import { describe, expect, it } from "vitest";
import { mergeIntoBaseline } from "../src/baseline/io.js";
import { compareWithBaseline } from "../src/compare.js";
import { ENVIRONMENT, okCase, results } from "./helpers.js";

const options = { threshold: 0.05, failedIsRegression: true };
const baseline = mergeIntoBaseline(undefined, results([okCase("onnxruntime-node", 20), okCase("tfjs", 2)]));

describe("compareWithBaseline", () => {
  it("calls a throughput drop beyond the threshold a regression, whichever way each metric points", () => {
    const c = compareWithBaseline(results([okCase("onnxruntime-node", 18), okCase("tfjs", 2.02)]), baseline, options);
    const ort = c.cases.find((x) => x.framework === "onnxruntime-node");
    expect(ort?.verdict).toBe("regression");
    expect(ort?.metrics.map((m) => [m.metric, m.verdict])).toEqual([
      ["images_per_s", "regression"], // higher is better: 20 → 18
      ["batch_s_median", "regression"], // lower is better: 0.2 → 0.222
      ["s_per_1000_images", "info"], // reference figure, not gated
    ]);
    expect(ort?.metrics[0]?.change).toBeCloseTo(-0.1);
    expect(c.cases.find((x) => x.framework === "tfjs")?.verdict).toBe("unchanged");
    expect(c.regressed).toBe(true);
    expect(c.counts).toMatchObject({ regression: 1, unchanged: 1 });
  });

  it("calls a speed-up beyond the threshold an improvement, and a change within it unchanged", () => {
    const c = compareWithBaseline(results([okCase("onnxruntime-node", 23), okCase("tfjs", 1.96)]), baseline, options);
    expect(c.cases.map((x) => x.verdict)).toEqual(["improvement", "unchanged"]);
    expect(c.regressed).toBe(false);
  });

  it("does not judge a case whose baseline comes from another testbed, and says what differs", () => {
    const other = results([okCase("onnxruntime-node", 5)], { ...ENVIRONMENT, cpu: { model: "Other CPU", cores: 64 } });
    const c = compareWithBaseline(other, baseline, options);
    expect(c.cases[0]).toMatchObject({
      verdict: "not-judged",
      note: "baseline is from another testbed (differs in cpu, cores)",
    });
    expect(c.regressed).toBe(false);
  });

  it("shows new, missing, failed and unavailable cases, and gates on a failed one", () => {
    const run = results([
      okCase("onnxruntime-node", 20),
      okCase("tfjs-node", 3),
      { ...okCase("tfjs", 2), status: "failed", reason: "timed out after 60 s", metrics: {}, samples: {} },
      { ...okCase("tfjs-node-gpu", 2), status: "unavailable", reason: "not installed", metrics: {}, samples: {} },
    ]);
    const withTfjsNodeGpuBaseline = mergeIntoBaseline(baseline, results([okCase("onnxruntime-node", 20)]));
    const c = compareWithBaseline(run, withTfjsNodeGpuBaseline, options);
    expect(c.cases.map((x) => [x.framework, x.verdict])).toEqual([
      ["onnxruntime-node", "unchanged"],
      ["tfjs-node", "new"],
      ["tfjs", "failed"],
      ["tfjs-node-gpu", "unavailable"],
    ]);
    expect(c.regressed).toBe(true);
    expect(compareWithBaseline(run, baseline, { ...options, failedIsRegression: false }).regressed).toBe(false);

    const partial = compareWithBaseline(results([okCase("tfjs", 2)]), baseline, options);
    expect(partial.cases.map((x) => [x.framework, x.verdict])).toEqual([
      ["tfjs", "unchanged"],
      ["onnxruntime-node", "missing"],
    ]);
  });

  it("reports every case as new without a baseline", () => {
    const c = compareWithBaseline(results([okCase("tfjs", 2)]), undefined, options);
    expect(c.hasBaseline).toBe(false);
    expect(c.cases[0]?.verdict).toBe("new");
    expect(c.regressed).toBe(false);
  });

  it("does not judge a metric whose baseline is zero", () => {
    const zero = mergeIntoBaseline(undefined, results([okCase("tfjs", 2, { metrics: { images_per_s: 0 } })]));
    const c = compareWithBaseline(results([okCase("tfjs", 2)]), zero, options);
    expect(c.cases[0]?.metrics.find((m) => m.metric === "images_per_s")?.verdict).toBe("not-judged");
  });
});
