import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxRelativeDifference } from "../../../src/run/cross-check.js";
import { SeededRandom } from "../../../workloads/rng.js";
import { registerFastTrainingGradients } from "../../../workloads/tfjs-gradients/index.js";

const seeded = (seed: number, size: number) => new SeededRandom(seed).fillUniform(new Float32Array(size), -1, 1);

/** Gradients of sum(matMul(a, b, tA, tB) ⊙ r) on the current backend. */
function matMulGradients(transposeA: boolean, transposeB: boolean): { da: number[]; db: number[] } {
  const [m, k, n] = [5, 7, 3];
  return tf.tidy(() => {
    const a = tf.tensor2d(seeded(1, m * k), transposeA ? [k, m] : [m, k]);
    const b = tf.tensor2d(seeded(2, k * n), transposeB ? [n, k] : [k, n]);
    const r = tf.tensor2d(seeded(3, m * n), [m, n]);
    const [da, db] = tf.grads((p: tf.Tensor, q: tf.Tensor) =>
      tf.sum(tf.mul(tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D, transposeA, transposeB), r)),
    )([a, b]) as [tf.Tensor, tf.Tensor];
    return { da: Array.from(da.dataSync()), db: Array.from(db.dataSync()) };
  });
}

describe("registered BatchMatMul gradient", () => {
  beforeAll(() => registerFastTrainingGradients(tf));
  afterAll(async () => {
    await tf.setBackend("wasm");
  });

  it.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])("on wasm equals the cpu backend's default gradient: transposeA %s, transposeB %s", async (ta, tb) => {
    await tf.setBackend("cpu");
    const reference = matMulGradients(ta, tb);
    await tf.setBackend("wasm");
    const fast = matMulGradients(ta, tb);
    expect(maxRelativeDifference(reference.da, fast.da)).toBeLessThan(1e-5);
    expect(maxRelativeDifference(reference.db, fast.db)).toBeLessThan(1e-5);
  });
});
