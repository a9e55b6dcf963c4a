/**
 * The regression decision for one metric (documented in the README, "Deciding
 * a regression"). Timing: the median must move by more than the threshold AND a
 * Mann–Whitney U test on the raw samples must confirm, at level ALPHA, a shift
 * of more than MARGIN_SHARE of the threshold; a move beyond the threshold that the test
 * cannot confirm is inconclusive, never silently unchanged. Accuracy: an
 * absolute tolerance in percentage points.
 */
import { improvement, metricInfo, type Judgement, type MetricName } from "../core/metrics.js";
import { mannWhitneyU } from "./statistics.js";

/** Significance level of the rank test. */
export const ALPHA = 0.01;
/**
 * Fewest samples per side for a timing verdict: with 5 and 5 the smallest
 * possible two-sided p-value is 2/252 ≈ 0.008, just below ALPHA; with 4 and 4
 * it is 2/70 ≈ 0.029, so no test could ever confirm.
 */
export const MIN_SAMPLES = 5;

export type MetricVerdict = "regression" | "improvement" | "unchanged" | "inconclusive" | "info";

export interface Judged {
  verdict: MetricVerdict;
  /** (current − baseline) / baseline; for accuracy, the difference in points. */
  change: number;
  p?: number;
  note?: string;
}

export interface JudgeOptions {
  /** Fraction: 0.05 is 5%. */
  threshold: number;
  /** Percentage points. */
  accuracyTolerance: number;
  /** Share of the threshold the rank test must confirm (default {@link MARGIN_SHARE}; the benchmarks vary it). */
  marginShare?: number;
  /** Share of the threshold the median must move by to be judged at all (default 1; the benchmarks vary it). */
  gateShare?: number;
}

export interface Side {
  value: number;
  samples?: readonly number[] | undefined;
}

/**
 * The rank test asks whether the current samples differ from the baseline's
 * moved by this share of the threshold towards the current median. Without the
 * margin, a real but small shift (2%) that noise inflates past a 5% threshold
 * would be confirmed as "significant"; with it, the test confirms only shifts
 * that are confidently larger than 70% of the threshold. 0.7 was chosen with
 * bench/decision-rates.ts: at 40 samples a side (the full profile), no 2%
 * slowdown in 4,000 simulated pairs was called a regression and 99.85% of 10%
 * slowdowns were; at 0.5, 2 pairs in 4,000 at 2% were.
 */
export const MARGIN_SHARE = 0.7;

function judgeTiming(
  metric: MetricName,
  base: Side,
  cur: Side,
  threshold: number,
  margin = MARGIN_SHARE,
  gate = 1,
): Judged {
  const change = (cur.value - base.value) / base.value;
  const better = improvement(metric, base.value, cur.value);
  if (Math.abs(better) <= gate * threshold) return { verdict: "unchanged", change };
  const direction = better < 0 ? "regression" : "improvement";
  const nb = base.samples?.length ?? 0;
  const nc = cur.samples?.length ?? 0;
  if (nb < MIN_SAMPLES || nc < MIN_SAMPLES) {
    return {
      verdict: "inconclusive",
      change,
      note: `looks like a ${direction}, but too few samples to tell (${nb} and ${nc}; ${MIN_SAMPLES} each needed)`,
    };
  }
  // Move the baseline samples by the margin in the direction the median moved.
  const factor = change > 0 ? 1 + margin * threshold : 1 / (1 + margin * threshold);
  const moved = (base.samples ?? []).map((v) => v * factor);
  const { p, u } = mannWhitneyU(moved, cur.samples ?? []);
  // The test is two-sided: it must also say the current samples lie beyond the moved baseline (in the
  // direction the median moved), not short of it. U counts the pairs where the moved baseline is larger.
  const beyond = change > 0 ? u < (moved.length * nc) / 2 : u > (moved.length * nc) / 2;
  if (p < ALPHA && beyond) return { verdict: direction, change, p };
  return {
    verdict: "inconclusive",
    change,
    p,
    note:
      p < ALPHA
        ? `looks like a ${direction}, but by less than ${Math.round(100 * margin * threshold * 10) / 10}% for sure`
        : `looks like a ${direction}, but not significant (p = ${p.toPrecision(2)} ≥ ${ALPHA})`,
  };
}

function judgeAccuracy(base: Side, cur: Side, tolerance: number): Judged {
  const change = cur.value - base.value;
  if (change < -tolerance) return { verdict: "regression", change };
  if (change > tolerance) return { verdict: "improvement", change };
  return { verdict: "unchanged", change };
}

/** Judges one metric present on both sides. */
export function judgeMetric(metric: MetricName, base: Side, cur: Side, options: JudgeOptions): Judged {
  const kind: Judgement = metricInfo(metric).judge;
  switch (kind) {
    case "info":
      return { verdict: "info", change: (cur.value - base.value) / base.value };
    case "accuracy":
      return judgeAccuracy(base, cur, options.accuracyTolerance);
    case "timing":
      return judgeTiming(metric, base, cur, options.threshold, options.marginShare, options.gateShare);
  }
}
