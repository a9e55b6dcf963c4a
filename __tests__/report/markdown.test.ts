import { describe, expect, it } from "vitest";
import { mergeIntoBaseline } from "../../src/store/baseline-file.js";
import { compareWithBaseline } from "../../src/judge/compare.js";
import { renderChart } from "../../src/report/chart.js";
import {
  GITHUB_COMMENT_LIMIT,
  escapeCell,
  formatChange,
  formatNumber,
  renderComparison,
  renderFleet,
} from "../../src/report/markdown.js";
import type { CaseResult } from "../../src/core/results-schema.js";
import { COMPARE_DEFAULTS, ENVIRONMENT, jittered, okCase, results } from "../helpers.js";

const context = { profile: "smoke", baselinePath: ".rosetta-bench/baseline.json" };
const BASE = mergeIntoBaseline(undefined, results([okCase("onnxruntime-node", 20), okCase("tfjs", 2)]));
const crossCheck = {
  workload: "resnet50-features",
  profile: "smoke",
  reference: "onnxruntime-node",
  framework: "tfjs",
  maxRelativeDifference: 3.2e-7,
  tolerance: 0.01,
  passed: true,
};

function render(cases: CaseResult[], baseline = BASE, environment = ENVIRONMENT): string {
  const run = results(cases, environment);
  run.crossChecks = cases.filter((c) => c.status === "ok").length > 1 ? [crossCheck] : [];
  return renderComparison(compareWithBaseline(run, baseline, COMPARE_DEFAULTS), {
    ...context,
    runUrl: "https://github.com/octo-org/model-lib/actions/runs/4242",
  });
}

describe("renderComparison, as reviewed files", () => {
  it.each([
    ["all-unchanged", () => render([okCase("onnxruntime-node", 20.3), okCase("tfjs", 1.98)])],
    [
      "regression",
      () =>
        render([
          okCase("onnxruntime-node", 15, { framework: { id: "onnxruntime-node", version: "1.31.0" } }),
          okCase("tfjs", 2),
        ]),
    ],
    ["improvement", () => render([okCase("onnxruntime-node", 26), okCase("tfjs", 2)])],
    [
      "inconclusive",
      () => {
        const noisy = (c: number) => [0.6, 0.8, 0.9, 1, 1.1, 1.25, 1.4].map((f) => f * c);
        const base = mergeIntoBaseline(undefined, results([okCase("tfjs", 2, { samples: { batch_s: noisy(2) } })]));
        return render([okCase("tfjs", 1.8, { samples: { batch_s: noisy(2.2) } })], base);
      },
    ],
    [
      "failed",
      () =>
        render([
          okCase("onnxruntime-node", 20),
          {
            ...okCase("tfjs", 2),
            status: "failed",
            reason: "worker was killed by SIGKILL | <oom> @here",
            metrics: {},
            samples: {},
          },
        ]),
    ],
    [
      "new-testbed",
      () =>
        render(
          [
            okCase("onnxruntime-node", 48),
            okCase("tfjs-node-gpu", 350, {
              id: "resnet50-features/tfjs-node-gpu/gpu/smoke",
              device: "gpu",
              framework: { id: "tfjs-node-gpu", version: "4.22.0", backend: "tensorflow" },
            }),
          ],
          BASE,
          {
            ...ENVIRONMENT,
            gpus: [{ name: "NVIDIA H100 80GB HBM3", driver: "580.65.06", memoryMiB: 81559 }],
            cuda: "13.0",
          },
        ),
    ],
    [
      "empty-baseline",
      () => render([okCase("onnxruntime-node", 20), okCase("tfjs", 2)], { schemaVersion: 1, entries: [] }),
    ],
    [
      "no-baseline-file",
      () => renderComparison(compareWithBaseline(results([okCase("tfjs", 2)]), undefined, COMPARE_DEFAULTS), context),
    ],
  ])("%s", async (name, make) => {
    await expect(make()).toMatchFileSnapshot(`__snapshots__/${name}.md`);
  });
});

describe("renderFleet, one report for a fleet's results files", () => {
  const box = (model: string, gpus: Array<{ name: string }> = []) => ({
    ...ENVIRONMENT,
    cpu: { model, cores: 8 },
    gpus,
  });
  const a = box("AMD EPYC 7B13", [{ name: "NVIDIA A100-SXM4-80GB" }]);
  const b = box("Intel Xeon Platinum 8480+", [{ name: "NVIDIA H100 80GB HBM3" }]);
  const c = box("Ampere Altra Q80-30");
  const pair = [okCase("onnxruntime-node", 20), okCase("tfjs", 2)];
  const baseline = mergeIntoBaseline(mergeIntoBaseline(undefined, results(pair, a)), results(pair, b));
  const fleet = (maxLength?: number) =>
    renderFleet(
      [
        results([okCase("onnxruntime-node", 20.2), okCase("tfjs", 1.98)], a),
        results([okCase("onnxruntime-node", 20 / 1.6), okCase("tfjs", 2)], b),
        results(pair, c),
      ].map((r) => ({
        comparison: compareWithBaseline(r, baseline, COMPARE_DEFAULTS),
        context: { profile: "smoke", baselinePath: ".rosetta-bench/baseline.json" },
      })),
      { runUrl: "https://github.com/octo-org/model-lib/actions/runs/4242", ...(maxLength ? { maxLength } : {}) },
    );

  it("as a reviewed file: one heading naming every testbed, one headline, a section each", async () => {
    await expect(fleet()).toMatchFileSnapshot("__snapshots__/fleet.md");
  });

  it("fits a size limit by cutting each testbed's details, keeping every verdict", () => {
    const whole = fleet();
    const cut = fleet(whole.length - 1500);
    expect(cut.length).toBeLessThanOrEqual(whole.length - 1500);
    expect(cut).toContain("**🔴 Performance regressed on 1 of 3 testbeds (NVIDIA H100 80GB HBM3)");
    expect(cut.match(/🔴 regression \|/g)).toHaveLength(1);
    expect(cut).toContain("more rows cut to fit GitHub's comment size limit");
  });
});

describe("renderComparison within GitHub's comment limit", () => {
  const many = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      okCase(`framework-${i}`, 10, {
        id: `resnet50-features/framework-${i}/cpu/smoke`,
        samples: { batch_s: jittered(0.4, 40) },
      }),
    );
  const limited = (count: number) =>
    renderComparison(compareWithBaseline(results(many(count)), BASE, COMPARE_DEFAULTS), {
      ...context,
      maxLength: GITHUB_COMMENT_LIMIT - 200,
    });

  it("cuts the raw figures first, says so, and keeps every verdict", () => {
    expect(render(many(130)).length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    const cut = limited(130);
    expect(cut.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT - 200);
    expect(cut).toMatch(
      /\n\d+ more rows cut to fit GitHub's comment size limit; the results file has every sample\.\n/,
    );
    expect(cut).toContain("**✅ No regression: 130 new, 2 missing**");
    expect(cut).toContain("| framework-129 ");
  });

  it("cuts the end of a report still too long, and says so", () => {
    const cut = limited(1000);
    expect(cut.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT - 200);
    expect(cut).toContain("**✅ No regression: 1000 new, 2 missing**");
    expect(
      cut.endsWith("…report cut to fit GitHub's size limit; the results file and the job summary have all of it.\n"),
    ).toBe(true);
  });
});

describe("the chart", () => {
  it("draws each judged case's time, this run ÷ baseline, as a bar, the threshold as a line, and labels that cannot break out", () => {
    const c = compareWithBaseline(results([okCase("onnxruntime-node", 16), okCase("tfjs", 2)]), BASE, COMPARE_DEFAULTS);
    const evil = { ...c, cases: c.cases.map((x, i) => (i === 1 ? { ...x, framework: 'tfjs"]\n  bar [999`' } : x)) };
    expect(renderChart(evil)).toBe(
      [
        "```mermaid",
        // Sized to its two bars (Mermaid's default is 500 px tall whatever the count).
        '%%{init: {"xyChart": {"height": 220, "width": 700}}}%%',
        "xychart-beta horizontal",
        '  title "Median time per batch or step, this run ÷ baseline (threshold 1.05)"',
        '  x-axis ["onnxruntime-node (cpu)", "tfjs ]   bar [999  (cpu)"]',
        // From 0.8, not 0: the 25% move is a third of the longer bar, not a fifth.
        '  y-axis "this run ÷ baseline" 0.8 --> 1.4',
        "  bar [1.25, 1]",
        "  line [1.05, 1.05]",
        "```",
        "",
        "Bars: each judged case's median time, this run ÷ baseline, drawn from 0.8 (1 is unchanged, beyond 1 slower). " +
          "Line: the regression threshold (1.05); a bar past it is a regression when the rank test confirms it.",
      ].join("\n"),
    );
  });

  it("reads the same at 3 and at 3,000 images/s, marks each workload's own threshold, and draws no case without both sides", () => {
    const base = mergeIntoBaseline(
      undefined,
      results([
        okCase("onnxruntime-node", 3000),
        okCase("tfjs", 3),
        okCase("tfjs", 3, { id: "cnn-cifar10/tfjs/cpu/smoke", workload: "cnn-cifar10" }),
      ]),
    );
    const run = results([
      okCase("onnxruntime-node", 2000),
      okCase("tfjs", 2),
      okCase("tfjs", 3, { id: "cnn-cifar10/tfjs/cpu/smoke", workload: "cnn-cifar10" }),
      okCase("tfjs-node", 9),
    ]);
    const chart = renderChart(
      compareWithBaseline(run, base, { ...COMPARE_DEFAULTS, workloadThresholds: { "cnn-cifar10": 0.1 } }),
    );
    expect(chart).toContain("  bar [1.5, 1.5, 1]\n");
    expect(chart).toContain("  line [1.05, 1.05, 1.1]\n");
    expect(chart).toContain(
      '"resnet50-features · onnxruntime-node (cpu)", "resnet50-features · tfjs (cpu)", "cnn-cifar10 · tfjs (cpu)"',
    );
    expect(chart).not.toContain("tfjs-node");
    expect(chart).toContain("threshold (1.05, 1.1)");
    expect(chart).toContain("÷ baseline (thresholds 1.05, 1.1)");
  });

  it("starts the bars below the fastest case, so a halved time still shows as a bar", () => {
    const c = compareWithBaseline(results([okCase("onnxruntime-node", 40), okCase("tfjs", 2)]), BASE, COMPARE_DEFAULTS);
    const chart = renderChart(c);
    expect(chart).toContain("  bar [0.5, 1]\n");
    expect(chart).toContain('  y-axis "this run ÷ baseline" 0.4 --> 1.4\n');
    expect(chart).toContain("drawn from 0.4 (1 is unchanged");
  });

  it("is left out when no case has figures on both sides", () => {
    expect(renderChart(compareWithBaseline(results([okCase("tfjs", 2)]), undefined, COMPARE_DEFAULTS))).toBe("");
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
    expect(formatChange(-1.5, "test_accuracy")).toBe("-1.50 pp");
  });
});

describe("the raw figures of a training case", () => {
  function trainingCase(stepS: number): CaseResult {
    const steps = jittered(stepS, 12);
    return {
      id: "cnn-cifar10/tfjs/cpu/smoke/synthetic",
      workload: "cnn-cifar10",
      framework: { id: "tfjs", version: "4.22.0" },
      device: "cpu",
      profile: "smoke",
      params: {
        batchSize: 64,
        epochs: 1,
        stepsPerEpoch: 12,
        testBatches: 2,
        window: 1,
        warmupWindows: 0,
        data: "synthetic",
      },
      status: "ok",
      parameterCount: 3_441_592,
      metrics: { step_s_median: stepS, train_s: stepS * 12, samples_per_s: 64 / stepS },
      samples: { step_s: steps },
      durationS: 20,
    };
  }

  it("are the step times, on both sides, in a report of its regression", () => {
    const baseline = mergeIntoBaseline(undefined, results([trainingCase(1.6)]));
    const comparison = compareWithBaseline(results([trainingCase(2.4)]), baseline, COMPARE_DEFAULTS);
    expect(comparison.cases[0]?.series?.name).toBe("step_s");
    const md = renderComparison(comparison, context);
    expect(md).toContain("**🔴 Performance regressed: 1 regression**");
    expect(md).toMatch(/\| cnn-cifar10\/tfjs\/cpu\/smoke\/synthetic +\| this run +\| step_s +\| 12 /);
    expect(md).toMatch(/\| cnn-cifar10\/tfjs\/cpu\/smoke\/synthetic +\| baseline +\| step_s +\| 12 /);
  });
});

describe("the row of a training case whose accuracy decided its verdict", () => {
  it("names the figure that decided it beside the verdict, the timing staying in the row", () => {
    const trained = (accuracy: number) =>
      okCase("tfjs", 2, {
        id: "cnn-cifar10/tfjs/cpu/smoke",
        workload: "cnn-cifar10",
        metrics: { step_s_median: 1.6, samples_per_s: 40, test_accuracy: accuracy },
        samples: { step_s: jittered(1.6, 12) },
      });
    const baseline = mergeIntoBaseline(undefined, results([trained(72)]));
    const md = renderComparison(compareWithBaseline(results([trained(69)]), baseline, COMPARE_DEFAULTS), context);
    expect(md).toMatch(
      /^\| tfjs 4\.22\.0 +\| cpu +\| 1\.6 → 1\.6 +\| \+0\.0% +\| 🔴 regression: test accuracy -3\.00 pp \| 40 +\|$/m,
    );
    expect(md).toMatch(
      /^\| Framework +\| Device +\| Median step time \(s\) +\| Change +\| Verdict +\| Training throughput \(samples\/s\) +\|$/m,
    );
  });
});

describe("the headline of a run that measured nothing", () => {
  it("is a warning, never green, allowed or not", () => {
    const gone = {
      ...okCase("onnxruntime-node", 20),
      status: "unavailable" as const,
      reason: "x",
      metrics: {},
      samples: {},
    };
    for (const allowEmpty of [false, true]) {
      const c = compareWithBaseline(results([gone]), BASE, { ...COMPARE_DEFAULTS, allowEmpty });
      const md = renderComparison(c, context);
      expect(md).toContain("**⚠️ Nothing measured: 1 missing, 1 unavailable**");
      expect(md).not.toContain("✅");
    }
  });
});
