/**
 * The statistics behind a verdict: medians and the Mann–Whitney U rank test.
 *
 * Why a rank test: batch times on shared machines are skewed and have
 * outliers (a page fault, a neighbour's job). A rank test assumes no
 * distribution and an outlier counts as one rank, not as its size.
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Largest m + n for which the exact null distribution is computed (exact in float64 up to C(56, 28)). */
const EXACT_LIMIT = 50;

/**
 * Counts of each U value under the null hypothesis for sample sizes m and n:
 * the coefficients of the Gaussian binomial [m+n choose m]_q, built one factor
 * at a time so every intermediate count is an integer below C(m+n, m).
 */
function exactDistribution(m: number, n: number): Float64Array {
  const size = m * n + 1;
  let counts = new Float64Array(size);
  counts[0] = 1;
  for (let i = 1; i <= m; i++) {
    const next = new Float64Array(size);
    // Multiply by (1 − q^(n+i)), then divide by (1 − q^i).
    for (let k = 0; k < size; k++) next[k] = (counts[k] ?? 0) - (k >= n + i ? (counts[k - n - i] ?? 0) : 0);
    for (let k = i; k < size; k++) next[k] = (next[k] ?? 0) + (next[k - i] ?? 0);
    counts = next;
  }
  return counts;
}

function normalCdf(z: number): number {
  // Abramowitz–Stegun 7.1.26 for erf; absolute error below 1.5e-7.
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export interface RankTest {
  /** U of the first sample: how often one of its values beats (exceeds) one of the second's. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: "exact" | "normal";
}

/**
 * Two-sided Mann–Whitney U test. Exact for small tie-free samples, otherwise
 * the normal approximation with tie correction and continuity correction.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[], forceNormal = false): RankTest {
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return { u: NaN, p: 1, method: "exact" };
  const all = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))].sort((x, y) => x.v - y.v);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j]?.v === all[i]?.v) j++;
    const rank = (i + 1 + j) / 2; // average rank of the tied run i..j-1
    for (let k = i; k < j; k++) if (all[k]?.first) rankSumA += rank;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }
  const u = rankSumA - (m * (m + 1)) / 2;
  if (!forceNormal && tieTerm === 0 && m + n <= EXACT_LIMIT) {
    const counts = exactDistribution(m, n);
    let total = 0;
    let below = 0;
    let above = 0;
    counts.forEach((c, k) => {
      total += c;
      if (k <= u) below += c;
      if (k >= u) above += c;
    });
    return { u, p: Math.min(1, (2 * Math.min(below, above)) / total), method: "exact" };
  }
  const mean = (m * n) / 2;
  const N = m + n;
  const variance = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (variance <= 0) return { u, p: 1, method: "normal" };
  const z = (Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), method: "normal" };
}
