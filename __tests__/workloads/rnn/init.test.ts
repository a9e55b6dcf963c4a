import { describe, expect, it } from "vitest";
import { REFERENCE_DIMS, orthogonalRows, seededRnnWeights } from "../../../workloads/rnn/init.js";

describe("the GRU classifier's seeded weights", () => {
  it("has an orthogonal recurrent kernel: its 100 rows of 300 are orthonormal", () => {
    const [rows, cols] = [REFERENCE_DIMS.units, 3 * REFERENCE_DIMS.units];
    const m = seededRnnWeights(4).recurrentKernel;
    expect(m).toHaveLength(rows * cols);
    let worst = 0;
    for (const [i, j] of [
      [0, 0],
      [0, 1],
      [17, 99],
      [99, 99],
      [42, 43],
    ] as const) {
      let dot = 0;
      for (let k = 0; k < cols; k++) dot += m[i * cols + k]! * m[j * cols + k]!;
      worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it("refuses an orthogonal matrix with more rows than columns", () => {
    expect(() => orthogonalRows(1, 4, 3)).toThrow(/4 rows cannot be orthonormal in 3 columns/);
  });

  it("draws the embedding uniform in ±0.05 as Keras did, the same for the same seed", () => {
    const e = seededRnnWeights(9).embedding;
    const max = e.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    expect(max).toBeLessThanOrEqual(0.05);
    expect(max).toBeGreaterThan(0.0499);
    const mean = e.reduce((a, v) => a + v, 0) / e.length;
    expect(Math.abs(mean)).toBeLessThan(1e-3);
  });

  it("draws Glorot-uniform kernels within ±√(6/(fan_in+fan_out)), zero biases, the same for the same seed", () => {
    const w = seededRnnWeights(9);
    const limit = Math.sqrt(6 / (125 + 300));
    const max = w.kernel.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    expect(max).toBeLessThanOrEqual(limit);
    expect(max).toBeGreaterThan(0.95 * limit);
    expect(w.embedding).toHaveLength(30_000 * 125);
    expect(w.inputBias.every((v) => v === 0)).toBe(true);
    expect(w.recurrentBias.every((v) => v === 0)).toBe(true);
    expect(w.inputBias).toHaveLength(300);
    expect(w.recurrentBias).toHaveLength(300);
    expect(seededRnnWeights(9).denseKernel).toEqual(w.denseKernel);
    expect(seededRnnWeights(10).denseKernel).not.toEqual(w.denseKernel);
  });
});
