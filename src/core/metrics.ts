/**
 * Every figure rosetta-bench reports, with its unit, which way is better and
 * how it is judged. This is the one place that says so; comparison and
 * rendering read it.
 */
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
