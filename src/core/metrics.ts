/**
 * Every figure rosetta-bench reports, with its unit, which way is better and
 * how it is judged. This is the one place that says so; comparison and
 * rendering read it.
 */
import { z } from "zod";

export type Better = "lower" | "higher";

/**
 * timing: judged on its raw samples (threshold and a rank test);
 * accuracy: judged on an absolute tolerance in percentage points;
 * info: shown for reference, never judged (it repeats a judged figure).
 */
export type Judgement = "timing" | "accuracy" | "info";

export interface MetricInfo {
  label: string;
  unit: string;
  better: Better;
  judge: Judgement;
  /** The raw sample series a timing metric is the median of. */
  samples?: SampleName;
}

export const SAMPLE_NAMES = ["batch_s", "step_s"] as const;
export type SampleName = (typeof SAMPLE_NAMES)[number];

export const METRICS = {
  images_per_s: { label: "throughput", unit: "images/s", better: "higher", judge: "info" },
  batch_s_median: { label: "median batch time", unit: "s", better: "lower", judge: "timing", samples: "batch_s" },
  s_per_1000_images: { label: "time per 1,000 images", unit: "s", better: "lower", judge: "info" },
  train_s: { label: "training time, all epochs", unit: "s", better: "lower", judge: "info" },
  step_s_median: { label: "median step time", unit: "s", better: "lower", judge: "timing", samples: "step_s" },
  samples_per_s: { label: "training throughput", unit: "samples/s", better: "higher", judge: "info" },
  test_accuracy: { label: "test accuracy", unit: "%", better: "higher", judge: "accuracy" },
} as const satisfies Record<string, MetricInfo>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export function metricInfo(metric: MetricName): MetricInfo {
  return METRICS[metric];
}

/**
 * Relative change of `current` against `baseline`, signed so that a positive
 * value is always an improvement whichever way the metric points.
 */
export function improvement(metric: MetricName, baseline: number, current: number): number {
  const change = (current - baseline) / baseline;
  const better: Better = METRICS[metric].better;
  switch (better) {
    case "higher":
      return change;
    case "lower":
      return -change;
  }
}

/**
 * What a recorded figure may be. A timing of zero or less, or of more than a
 * million seconds, is a broken measurement: in a baseline it would silently stop
 * the gate from judging (a run ten times slower than "0 s" is not a regression
 * of any finite percentage), so files holding one are refused when read.
 */
export const SAMPLE_MAX_S = 1e6;
export const RATE_MAX = 1e9;

export function figureProblem(name: string, value: number): string | undefined {
  if (!Number.isFinite(value)) return "must be a finite number";
  if (name === "test_accuracy") return value >= 0 && value <= 100 ? undefined : "must be a percentage from 0 to 100";
  if (name in METRICS || (SAMPLE_NAMES as readonly string[]).includes(name)) {
    const max = name.endsWith("_per_s") ? RATE_MAX : SAMPLE_MAX_S;
    if (!(value > 0)) return "must be above 0";
    if (value > max) return `must be at most ${max}`;
  }
  return undefined;
}

/** A record of named figures (metrics), each checked by {@link figureProblem}. */
export const metricsRecordSchema = z.record(z.string(), z.number()).superRefine((record, ctx) => {
  for (const [name, value] of Object.entries(record)) {
    const problem = figureProblem(name, value);
    if (problem) ctx.addIssue({ code: "custom", path: [name], message: `${problem} (found ${value})` });
  }
});

/** Named sample series, each value checked by {@link figureProblem}. */
export const samplesRecordSchema = z.record(z.string(), z.array(z.number())).superRefine((record, ctx) => {
  for (const [name, values] of Object.entries(record)) {
    values.forEach((value, i) => {
      const problem = figureProblem(name, value);
      if (problem) ctx.addIssue({ code: "custom", path: [name, i], message: `${problem} (found ${value})` });
    });
  }
});
