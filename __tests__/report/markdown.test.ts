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
    const cut = limited(400);
    expect(cut.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT - 200);
    expect(cut).toContain("**✅ No regression: 400 new, 2 missing**");
    expect(
      cut.endsWith("…report cut to fit GitHub's size limit; the results file and the job summary have all of it.\n"),
    ).toBe(true);
  });
});

describe("the chart", () => {
  it("draws this run as bars and the baseline as a line, with labels that cannot break out", () => {
    const c = compareWithBaseline(results([okCase("onnxruntime-node", 18), okCase("tfjs", 2)]), BASE, COMPARE_DEFAULTS);
    const evil = c.cases.map((x, i) => (i === 1 ? { ...x, framework: 'tfjs"]\n  bar [999' } : x));
    expect(renderChart("resnet50-features", evil)).toBe(
      [
        "```mermaid",
        "xychart-beta",
        '  title "resnet50-features: throughput (images/s, higher is better)"',
        '  x-axis ["onnxruntime-node (cpu)", "tfjs ]   bar [999 (cpu)"]',
        '  y-axis "images/s"',
        "  bar [18, 2]",
        "  line [20, 2]",
        "```",
        "",
        "Bars: this run. Line: baseline.",
      ].join("\n"),
    );
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
