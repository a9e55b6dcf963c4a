import { describe, expect, it } from "vitest";
import { mannWhitneyU, median } from "../../src/judge/statistics.js";

describe("median", () => {
  it("takes the middle value, or the mean of the two middle values", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe("mannWhitneyU", () => {
  it("gives the exact p-value of complete separation: 2 / C(m+n, m)", () => {
    const r = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(r).toMatchObject({ u: 0, method: "exact" });
    expect(r.p).toBeCloseTo(2 / 252, 12);
    expect(mannWhitneyU([1, 2, 3, 4], [5, 6, 7, 8]).p).toBeCloseTo(2 / 70, 12);
  });

  it("matches a textbook exact value for overlapping samples", () => {
    // U = 2 (6 beats 4 and 5) for m = n = 4: P(U <= 2) = 4/70 under the null, so p = 8/70.
    const r = mannWhitneyU([1, 2, 3, 6], [4, 5, 7, 8]);
    expect(r.u).toBe(2);
    expect(r.p).toBeCloseTo(8 / 70, 12);
  });

  it("is symmetric and gives p = 1 for identical samples", () => {
    const a = [1.1, 2.2, 3.3];
    expect(mannWhitneyU(a, a).p).toBeCloseTo(1, 6);
    const x = [0.9, 1.4, 1.2, 1.7, 1.1];
    const y = [1.5, 1.9, 1.6, 2.1, 1.3];
    expect(mannWhitneyU(x, y).p).toBeCloseTo(mannWhitneyU(y, x).p, 12);
  });

  it("uses the tie-corrected normal approximation for large or tied samples, close to the exact answer", () => {
    const a = Array.from({ length: 30 }, (_, i) => i);
    const b = Array.from({ length: 30 }, (_, i) => i + 7.5);
    expect(mannWhitneyU(a, b).method).toBe("normal");
    // Tie-free and small enough for the exact answer: the approximation stays close to it.
    const exact = mannWhitneyU(a.slice(0, 25), b.slice(0, 25));
    const approx = mannWhitneyU(a.slice(0, 25), b.slice(0, 25), true);
    expect(exact.method).toBe("exact");
    expect(approx.method).toBe("normal");
    expect(exact.p).toBeCloseTo(0.00161, 4);
    expect(Math.abs(exact.p - approx.p)).toBeLessThan(0.001);
    const tied = mannWhitneyU([1, 1, 1, 2], [2, 2, 3, 3]);
    expect(tied.method).toBe("normal");
    expect(tied.p).toBeGreaterThan(0);
    expect(tied.p).toBeLessThan(1);
  });
});
