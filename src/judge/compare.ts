/**
 * Compares a run's results with the baseline, like for like: same case, same
 * testbed. Each metric is judged by `judgeMetric` (src/judge/decide.ts); a case takes
 * the most serious verdict of its metrics.
 */
import type { Baseline, BaselineEntry } from "../core/baseline-schema.js";
import { judgeMetric, type JudgeOptions, type MetricVerdict as JudgedVerdict } from "./decide.js";
import { METRIC_NAMES, METRICS, type MetricName } from "../core/metrics.js";
import { caseId } from "../core/case-id.js";
import { telemetryFlags } from "../run/gpu-telemetry.js";
import { CPU_SHARED_LIMIT, slowdownExplainedBy } from "../run/cpu-share.js";
import type { CaseResult, CrossCheck, Results } from "../core/results-schema.js";
import {
  matchKey,
  softwareChanges,
  testbedDifferences,
  testbedOf,
  type Testbed,
  type TestbedMatch,
} from "../core/testbed.js";

/** How many times slower the current figure is (below 1: faster). */
function slowdownFactor(metric: MetricName, baseline: number, current: number): number {
  return METRICS[metric].better === "lower" ? current / baseline : baseline / current;
}

function cpuSharedNote(c: CaseResult): string {
  return `other processes took ${Math.round(100 * (c.cpuOthersShare ?? 0))}% of the machine's CPU while it ran`;
}

/** Case verdicts, most serious first (the order of the report's headline). */
export const VERDICTS = [
  "regression",
  "failed",
  "inconclusive",
  "improvement",
  "unchanged",
  "new",
  "not-judged",
  "missing",
  "unavailable",
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** A metric's own verdict; `info` marks a figure shown for reference, never judged. */
export type MetricVerdict = Verdict | JudgedVerdict;

export interface MetricComparison {
  metric: MetricName;
  baseline?: number;
  current?: number;
  /** (current − baseline) / baseline; for accuracy, the difference in points. */
  change?: number;
  verdict: MetricVerdict;
  p?: number;
  note?: string;
}

export interface CaseComparison {
  id: string;
  workload: string;
  framework: string;
  device: string;
  profile: string;
  verdict: Verdict;
  metrics: MetricComparison[];
  /** Why: a failure reason, the testbed fields that differ, an inconclusive test. */
  note?: string;
  versions: { baseline?: string; current?: string };
  /** Runs pooled into this case's figures (2 after a confirmation re-run). */
  runs: number;
  /** The GPU throttled, was shared or mostly idle while the case ran (see src/run/gpu-telemetry.ts). */
  gpuFlagged?: boolean;
  /** The judged timing figure in the baseline's past versions (git history), oldest first, then this run's. */
  trend?: Array<{ label: string; value: number }>;
  /** The timing threshold this case was judged with (a per-workload one where set). */
  threshold?: number;
  /** The raw samples behind the judged timing metric, for the report's details. */
  series?: { name: string; baseline?: number[]; current?: number[] };
}

export interface CompareOptions extends JudgeOptions {
  /** Per-workload thresholds that replace `threshold`. */
  workloadThresholds: Readonly<Record<string, number>>;
  /** A case that failed counts as a regression for gating. */
  failedIsRegression: boolean;
  /** A run in which no case produced figures passes the gate (otherwise it fails it). */
  allowEmpty?: boolean;
  /** hardware (default): a driver or CUDA change is judged; strict: it starts a new baseline. */
  testbedMatch?: TestbedMatch;
}

export interface Comparison {
  threshold: number;
  accuracyTolerance: number;
  testbed: Testbed;
  hasBaseline: boolean;
  /** The baseline holds entries of this run's testbed (a new runner type has none: shown, not judged). */
  testbedInBaseline: boolean;
  cases: CaseComparison[];
  counts: Record<Verdict, number>;
  /** The gate fails: a case regressed, one failed (when that counts), or nothing was measured (unless allowed). */
  regressed: boolean;
  /**
   * No case on the run's device produced figures (every one unavailable or failed, or there were
   * none): a GPU run whose GPU cases all fell through measured nothing, whatever ran on the CPU.
   */
  nothingMeasured: boolean;
  /** The device the run targeted, when its results say. */
  device?: string;
  /** The software that changed since the judged baseline entries: "onnxruntime-node 1.30.0 → 1.29.0", "driver …". */
  changes: string[];
  crossChecks: CrossCheck[];
  /** Framework id → version that ran, from the results' environment. */
  frameworks: Record<string, string>;
}

/** The raw series behind a case's timing metric, from either side. */
function seriesOf(base: BaselineEntry | undefined, cur: CaseResult | undefined): CaseComparison["series"] {
  // A feature case times batches (batch_s), a training case steps (step_s): take the series the case has.
  for (const info of Object.values(METRICS)) {
    if (!("samples" in info)) continue;
    const name = info.samples;
    const baseline = base?.samples[name];
    const current = cur?.samples[name];
    if (!baseline?.length && !current?.length) continue;
    return { name, ...(baseline?.length ? { baseline } : {}), ...(current?.length ? { current } : {}) };
  }
  return undefined;
}

function compareMetric(
  metric: MetricName,
  base: BaselineEntry,
  cur: CaseResult,
  options: JudgeOptions,
): MetricComparison | undefined {
  const b = base.metrics[metric];
  const c = cur.metrics[metric];
  if (b === undefined && c === undefined) return undefined;
  if (b === undefined) return { metric, current: c, verdict: "new" };
  if (c === undefined) return { metric, baseline: b, verdict: "missing" };
  const info = METRICS[metric];
  if (info.judge !== "accuracy" && !(b > 0)) {
    return { metric, baseline: b, current: c, verdict: "not-judged", note: `baseline ${metric} is ${b}` };
  }
  const series = "samples" in info ? info.samples : undefined;
  const judged = judgeMetric(
    metric,
    { value: b, samples: series ? base.samples[series] : undefined },
    { value: c, samples: series ? cur.samples[series] : undefined },
    options,
  );
  return { metric, baseline: b, current: c, ...judged };
}

/** The case's verdict: the most serious of its metrics' verdicts. */
function overall(metrics: MetricComparison[]): Verdict {
  for (const v of ["regression", "inconclusive", "improvement"] as const) {
    if (metrics.some((m) => m.verdict === v)) return v;
  }
  return "unchanged";
}

/** One line for logs and failures: what "nothing measured" means for this run. */
export function nothingMeasuredLine(comparison: Comparison): string {
  return comparison.device === "gpu"
    ? "nothing was measured on the GPU (every GPU case unavailable or failed)"
    : "nothing was measured (every case unavailable or failed)";
}

export function compareWithBaseline(
  results: Results,
  baseline: Baseline | undefined,
  options: CompareOptions,
): Comparison {
  const testbed = testbedOf(results.environment);
  const match = options.testbedMatch ?? "hardware";
  const here = matchKey(testbed, match);
  const entries = baseline?.entries ?? [];
  // Where several entries match (kept apart by strict matching earlier), the newest is the baseline.
  const sameTestbed = new Map<string, BaselineEntry>();
  for (const e of entries) {
    if (matchKey(e.testbed, match) !== here) continue;
    const id = caseId(e.case);
    const known = sameTestbed.get(id);
    if (!known || e.source.createdAt > known.source.createdAt) sameTestbed.set(id, e);
  }
  const cases: CaseComparison[] = [];

  for (const c of results.cases) {
    const base = sameTestbed.get(c.id);
    const series = seriesOf(base, c);
    const head = {
      ...(series ? { series } : {}),
      id: c.id,
      workload: c.workload,
      framework: c.framework.id,
      device: c.device,
      profile: c.profile,
      runs: c.runs ?? 1,
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
      const elsewhere = entries.find((e) => caseId(e.case) === c.id);
      if (elsewhere) {
        const fields = testbedDifferences(elsewhere.testbed, testbed, match).join(", ");
        cases.push({
          ...head,
          verdict: "not-judged",
          metrics: currentOnly("not-judged"),
          note: `the baseline has this case only from another testbed (differs in ${fields})`,
        });
      } else {
        const flags = c.gpuTelemetry ? telemetryFlags(c.gpuTelemetry) : [];
        cases.push({
          ...head,
          verdict: "new",
          metrics: currentOnly("new"),
          ...(flags.length ? { note: `⚠️ GPU ${flags.join("; ")}`, gpuFlagged: true } : {}),
        });
      }
      continue;
    }
    const judge = { ...options, threshold: options.workloadThresholds[c.workload] ?? options.threshold };
    const share = c.device === "cpu" ? (c.cpuOthersShare ?? 0) : 0;
    const explained = (1 + judge.threshold) * slowdownExplainedBy(share);
    const metrics = METRIC_NAMES.flatMap((m) => compareMetric(m, base, c, judge) ?? []).map((m) => {
      // A CPU timing that regressed while other processes kept the machine busy measures them as much as
      // the case: inconclusive, unless it slowed down by more than they could explain.
      if (share < CPU_SHARED_LIMIT || m.verdict !== "regression" || METRICS[m.metric].judge !== "timing") return m;
      if (m.baseline === undefined || m.current === undefined) return m;
      if (slowdownFactor(m.metric, m.baseline, m.current) <= explained)
        return { ...m, verdict: "inconclusive" as const, note: `looks like a regression, but ${cpuSharedNote(c)}` };
      return { ...m, note: `${cpuSharedNote(c)}, which explains at most ${explained.toFixed(1)}× slower` };
    });
    const notes = [...metrics.flatMap((m) => (m.note ? [`${METRICS[m.metric].label}: ${m.note}`] : []))];
    if ((c.runs ?? 1) > 1) notes.push(`confirmed by a re-run: ${c.runs} runs pooled`);
    const gpuFlags = c.gpuTelemetry ? telemetryFlags(c.gpuTelemetry) : [];
    if (gpuFlags.length) notes.push(`⚠️ GPU ${gpuFlags.join("; ")}`);
    cases.push({
      ...head,
      threshold: judge.threshold,
      verdict: overall(metrics),
      metrics,
      ...(notes.length ? { note: notes.join("; ") } : {}),
      ...(gpuFlags.length ? { gpuFlagged: true } : {}),
    });
  }

  const seen = new Set(results.cases.map((c) => c.id));
  for (const [id, e] of sameTestbed) {
    if (seen.has(id)) continue;
    const series = seriesOf(e, undefined);
    cases.push({
      id,
      ...e.case,
      ...(series ? { series } : {}),
      runs: 0,
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

  // What changed since the entries this run was judged against: the likely cause of whatever moved.
  const changes = new Set<string>();
  for (const c of results.cases) {
    const base = sameTestbed.get(c.id);
    if (!base) continue;
    if (base.frameworkVersion && c.framework.version && base.frameworkVersion !== c.framework.version) {
      changes.add(`${c.framework.id} ${base.frameworkVersion} → ${c.framework.version}`);
    }
    for (const change of softwareChanges(base.testbed, testbed)) changes.add(change);
  }

  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const c of cases) counts[c.verdict]++;
  const nothingMeasured = !results.cases.some(
    (c) => c.status === "ok" && (results.device === undefined || c.device === results.device),
  );
  const regressed =
    counts.regression > 0 ||
    (options.failedIsRegression && counts.failed > 0) ||
    (nothingMeasured && options.allowEmpty !== true);
  return {
    threshold: options.threshold,
    accuracyTolerance: options.accuracyTolerance,
    testbed,
    hasBaseline: baseline !== undefined,
    testbedInBaseline: sameTestbed.size > 0,
    cases,
    counts,
    regressed,
    nothingMeasured,
    changes: [...changes],
    ...(results.device ? { device: results.device } : {}),
    crossChecks: results.crossChecks,
    frameworks: results.environment.frameworks,
  };
}
