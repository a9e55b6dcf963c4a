/**
 * The decision rule on simulated CI noise (log-normal, CV 3–5%, 3% outliers),
 * seeded so the counts are the same on every run. bench/decision-rates.ts
 * prints the full table.
 */
import { describe, expect, it } from "vitest";
import { simulateDecisions } from "../../bench/lib/simulate.js";

describe("with 40 samples per side (the full profile's 40 batches)", () => {
  const run = (slowdown: number, seed: number) => simulateDecisions({ seed, pairs: 1000, samples: 40, slowdown });

  it("raises at most 1% false alarms on A/A pairs", () => {
    const r = run(0, 11);
    expect(r.regression).toBeLessThanOrEqual(0.01);
    expect(r.improvement).toBeLessThanOrEqual(0.01);
  });

  it("detects a 10% slowdown in at least 95% of pairs", () => {
    expect(run(0.1, 12).regression).toBeGreaterThanOrEqual(0.95);
  });

  it("does not call a 2% slowdown a regression with the 5% threshold", () => {
    expect(run(0.02, 13).regression).toBe(0);
  });
});

describe("with 20 samples per side", () => {
  it("still raises no more than 1% false alarms, and says inconclusive rather than unchanged when unsure", () => {
    expect(simulateDecisions({ seed: 21, pairs: 1000, samples: 20, slowdown: 0 }).regression).toBeLessThanOrEqual(0.01);
    const slow = simulateDecisions({ seed: 22, pairs: 1000, samples: 20, slowdown: 0.1 });
    expect(slow.regression + slow.inconclusive).toBeGreaterThanOrEqual(0.99);
  });
});

describe("with the smoke profile's handful of samples", () => {
  it("never calls a regression on 4 samples, and says inconclusive instead of guessing", () => {
    const r = simulateDecisions({ seed: 14, pairs: 500, samples: 4, slowdown: 0.1 });
    expect(r.regression).toBe(0);
    expect(r.inconclusive).toBeGreaterThan(0.8);
  });
});
