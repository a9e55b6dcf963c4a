/**
 * Simulated batch-time samples with the noise of shared CI machines: log-normal
 * jitter with a coefficient of variation of 3–5% and occasional outliers (a
 * busy neighbour, a page fault), all from a seeded stream.
 */
import { judgeMetric, type JudgeOptions, type MetricVerdict } from "../../src/judge/decide.js";
import { median } from "../../src/judge/statistics.js";
import { SeededRandom } from "../../workloads/rng.js";

export interface NoiseModel {
  /** Coefficient of variation is drawn per sample set from [cvLow, cvHigh]. */
  cvLow: number;
  cvHigh: number;
  /** Probability that a sample is an outlier, slowed by 20–50%. */
  outlierRate: number;
}

export const CI_NOISE: NoiseModel = { cvLow: 0.03, cvHigh: 0.05, outlierRate: 0.03 };

function gaussian(rng: SeededRandom): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

export function simulateSamples(rng: SeededRandom, n: number, center: number, noise: NoiseModel): number[] {
  const cv = noise.cvLow + (noise.cvHigh - noise.cvLow) * rng.next();
  const sigma = Math.sqrt(Math.log(1 + cv * cv));
  return Array.from({ length: n }, () => {
    const outlier = rng.next() < noise.outlierRate ? 1.2 + 0.3 * rng.next() : 1;
    return center * Math.exp(sigma * gaussian(rng)) * outlier;
  });
}

export interface Rates {
  pairs: number;
  regression: number;
  improvement: number;
  inconclusive: number;
  unchanged: number;
}

/** Judges `pairs` baseline/current pairs whose true slowdown is `slowdown` (0.1 = 10% slower). */
export function simulateDecisions(options: {
  seed: number;
  pairs: number;
  samples: number;
  slowdown: number;
  threshold?: number;
  noise?: NoiseModel;
  /** Rule settings other than the defaults (the gate and margin shares). */
  rule?: Pick<JudgeOptions, "gateShare" | "marginShare">;
}): Rates {
  const rng = new SeededRandom(options.seed);
  const noise = options.noise ?? CI_NOISE;
  const counts: Record<Exclude<MetricVerdict, "info">, number> = {
    regression: 0,
    improvement: 0,
    inconclusive: 0,
    unchanged: 0,
  };
  for (let i = 0; i < options.pairs; i++) {
    const base = simulateSamples(rng, options.samples, 0.2, noise);
    const cur = simulateSamples(rng, options.samples, 0.2 * (1 + options.slowdown), noise);
    const { verdict } = judgeMetric(
      "batch_s_median",
      { value: median(base), samples: base },
      { value: median(cur), samples: cur },
      { threshold: options.threshold ?? 0.05, accuracyTolerance: 1, ...options.rule },
    );
    if (verdict !== "info") counts[verdict]++;
  }
  const rate = (k: keyof typeof counts) => counts[k] / options.pairs;
  return {
    pairs: options.pairs,
    regression: rate("regression"),
    improvement: rate("improvement"),
    inconclusive: rate("inconclusive"),
    unchanged: rate("unchanged"),
  };
}
