/**
 * Compares a run's results with the baseline, like for like: same case, same
 * testbed. A first, simple rule: a gated metric regresses when its median-based
 * figure is worse than the baseline's by more than the threshold.
 */
import type { Baseline, BaselineEntry } from "./baseline/schema.js";
import { METRIC_NAMES, METRICS, improvement, type MetricName } from "./metrics.js";
import { caseId } from "./plan.js";
import type { CrossCheck, Results } from "./results/schema.js";
import { testbedDifferences, testbedKey, testbedOf, type Testbed } from "./testbed.js";

export const VERDICTS = [
  "regression",
  "failed",
  "improvement",
  "unchanged",
  "new",
  "not-judged",
  "missing",
  "unavailable",
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A metric's own verdict; `info` marks a figure shown for reference, never judged. */
export type MetricVerdict = Verdict | "info";

export interface MetricComparison {
  metric: MetricName;
  baseline?: number;
  current?: number;
  /** (current − baseline) / baseline. */
  change?: number;
  verdict: MetricVerdict;
}

export interface CaseComparison {
  id: string;
  workload: string;
  framework: string;
  device: string;
  profile: string;
  verdict: Verdict;
  metrics: MetricComparison[];
  /** Why: a failure reason, or the testbed fields that differ from the baseline's. */
  note?: string;
  versions: { baseline?: string; current?: string };
}

export interface CompareOptions {
  /** Fractional threshold: 0.05 is 5%. */
  threshold: number;
  /** A case that failed counts as a regression for gating. */
  failedIsRegression: boolean;
}

export interface Comparison {
  threshold: number;
  testbed: Testbed;
  hasBaseline: boolean;
  cases: CaseComparison[];
  counts: Record<Verdict, number>;
  regressed: boolean;
  crossChecks: CrossCheck[];
}

function entryId(e: BaselineEntry): string {
  return caseId(e.case);
}

export function judgeMetric(
  metric: MetricName,
  baseline: number,
  current: number,
  threshold: number,
): MetricComparison {
  const change = (current - baseline) / baseline;
  if (!Number.isFinite(change)) return { metric, baseline, current, verdict: "not-judged" };
  if (!METRICS[metric].gated) return { metric, baseline, current, change, verdict: "info" };
  const better = improvement(metric, baseline, current);
  let verdict: Verdict = "unchanged";
  if (better < -threshold) verdict = "regression";
  else if (better > threshold) verdict = "improvement";
  return { metric, baseline, current, change, verdict };
}

/** The case's verdict from its metrics' verdicts: any regression wins, then any improvement. */
function overall(metrics: MetricComparison[]): Verdict {
  if (metrics.some((m) => m.verdict === "regression")) return "regression";
  if (metrics.some((m) => m.verdict === "improvement")) return "improvement";
  return "unchanged";
}

export function compareWithBaseline(
  results: Results,
  baseline: Baseline | undefined,
  options: CompareOptions,
): Comparison {
  const testbed = testbedOf(results.environment);
  const here = testbedKey(testbed);
  const entries = baseline?.entries ?? [];
  const sameTestbed = new Map(entries.filter((e) => testbedKey(e.testbed) === here).map((e) => [entryId(e), e]));
  const cases: CaseComparison[] = [];

  for (const c of results.cases) {
    const base = sameTestbed.get(c.id);
    const head = {
      id: c.id,
      workload: c.workload,
      framework: c.framework.id,
      device: c.device,
      profile: c.profile,
      versions: {
        ...(base?.frameworkVersion ? { baseline: base.frameworkVersion } : {}),
        ...(c.framework.version ? { current: c.framework.version } : {}),
      },
    };
    const currentOnly = (verdict: Verdict) =>
      METRIC_NAMES.filter((m) => c.metrics[m] !== undefined).map((m) => ({
        metric: m,
        current: c.metrics[m],
        verdict,
      }));
    if (c.status !== "ok") {
      cases.push({ ...head, verdict: c.status, metrics: [], ...(c.reason ? { note: c.reason } : {}) });
      continue;
    }
    if (!base) {
      const elsewhere = entries.find((e) => entryId(e) === c.id);
      if (elsewhere) {
        const fields = testbedDifferences(elsewhere.testbed, testbed).join(", ");
        cases.push({
          ...head,
          verdict: "not-judged",
          metrics: currentOnly("not-judged"),
          note: `baseline is from another testbed (differs in ${fields})`,
        });
      } else {
        cases.push({ ...head, verdict: "new", metrics: currentOnly("new") });
      }
      continue;
    }
    const metrics = METRIC_NAMES.flatMap((m): MetricComparison[] => {
      const b = base.metrics[m];
      const cur = c.metrics[m];
      if (b === undefined && cur === undefined) return [];
      if (b === undefined) return [{ metric: m, current: cur, verdict: "new" }];
      if (cur === undefined) return [{ metric: m, baseline: b, verdict: "missing" }];
      return [judgeMetric(m, b, cur, options.threshold)];
    });
    cases.push({ ...head, verdict: overall(metrics), metrics });
  }

  const seen = new Set(results.cases.map((c) => c.id));
  for (const [id, e] of sameTestbed) {
    if (seen.has(id)) continue;
    cases.push({
      id,
      ...e.case,
      verdict: "missing",
      metrics: METRIC_NAMES.filter((m) => e.metrics[m] !== undefined).map((m) => ({
        metric: m,
        baseline: e.metrics[m],
        verdict: "missing",
      })),
      note: "in the baseline, not in this run",
      versions: e.frameworkVersion ? { baseline: e.frameworkVersion } : {},
    });
  }

  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const c of cases) counts[c.verdict]++;
  const regressed = counts.regression > 0 || (options.failedIsRegression && counts.failed > 0);
  return {
    threshold: options.threshold,
    testbed,
    hasBaseline: baseline !== undefined,
    cases,
    counts,
    regressed,
    crossChecks: results.crossChecks,
  };
}
