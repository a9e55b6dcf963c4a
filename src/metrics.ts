/**
 * Every figure rosetta-bench reports, with its unit and which way is better.
 * This is the one place that says so; comparison and rendering read it.
 */
export type Better = "lower" | "higher";

export interface MetricInfo {
  label: string;
  unit: string;
  better: Better;
  /** Judged for regressions; other metrics are shown for reference only. */
  gated: boolean;
  /** The raw sample series this metric summarises, if any. */
  samples?: SampleName;
}

export const SAMPLE_NAMES = ["batch_s"] as const;
export type SampleName = (typeof SAMPLE_NAMES)[number];

export const METRICS = {
  images_per_s: { label: "throughput", unit: "images/s", better: "higher", gated: true, samples: "batch_s" },
  batch_s_median: { label: "median batch time", unit: "s", better: "lower", gated: true, samples: "batch_s" },
  s_per_1000_images: { label: "time per 1,000 images", unit: "s", better: "lower", gated: false },
} as const satisfies Record<string, MetricInfo>;

export type MetricName = keyof typeof METRICS;
export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
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
