import { describe, expect, it } from "vitest";
import { mergeIntoBaseline } from "../src/baseline/io.js";
import { compareWithBaseline } from "../src/compare.js";
import { escapeCell, formatChange, formatNumber, renderComparison } from "../src/render/report.js";
import { COMPARE_DEFAULTS, okCase, results } from "./helpers.js";

const options = COMPARE_DEFAULTS;
const context = { profile: "smoke", baselinePath: ".rosetta-bench/baseline.json" };

describe("renderComparison", () => {
  it("renders a regression, a failure and a cross-check (reviewed file)", async () => {
    const baseline = mergeIntoBaseline(undefined, results([okCase("onnxruntime-node", 20), okCase("tfjs", 2)]));
    const run = results([
      okCase("onnxruntime-node", 15, { framework: { id: "onnxruntime-node", version: "1.31.0" } }),
      {
        ...okCase("tfjs", 2),
        status: "failed",
        reason: "worker was killed by SIGKILL | <oom> @here",
        metrics: {},
        samples: {},
      },
    ]);
    run.crossChecks = [
      {
        workload: "resnet50-features",
        profile: "smoke",
        reference: "onnxruntime-node",
        framework: "tfjs",
        maxRelativeDifference: 3.2e-7,
        tolerance: 0.01,
        passed: true,
      },
    ];
    const md = renderComparison(compareWithBaseline(run, baseline, options), {
      ...context,
      runUrl: "https://github.com/o/r/actions/runs/1",
    });
    await expect(md).toMatchFileSnapshot("__snapshots__/render/regression.md");
  });

  it("renders a run without a baseline (reviewed file)", async () => {
    const md = renderComparison(compareWithBaseline(results([okCase("tfjs", 2)]), undefined, options), context);
    await expect(md).toMatchFileSnapshot("__snapshots__/render/no-baseline.md");
  });
});

describe("cell formatting", () => {
  it("escapes what could break a table, inject HTML or mention someone", () => {
    expect(escapeCell("a | b\n<script>@team & co")).toBe("a \\| b &lt;script&gt;@\u200bteam &amp; co");
  });

  it("formats numbers and changes for reading", () => {
    expect(formatNumber(21.4041)).toBe("21.4");
    expect(formatNumber(0.171234)).toBe("0.1712");
    expect(formatNumber(3.2e-7)).toBe("3.20e-7");
    expect(formatNumber(undefined)).toBe("–");
    expect(formatChange(-0.25)).toBe("-25.0%");
    expect(formatChange(0.031)).toBe("+3.1%");
  });
});
