import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../../../workloads/rng.js";
import { expectClose } from "../close.js";
import { registerMatMulGradient } from "../../../workloads/tfjs-gradients/matmul.js";

const uniform = (seed: number, shape: number[]) =>
  tf.tensor(new SeededRandom(seed).fillUniform(new Float32Array(shape.reduce((a, b) => a * b)), -1, 1), shape);

/** Gradients of Σ (a·b ⊙ w) w.r.t. a and b, for every transpose-flag combination, on the current backend. */
async function gradients(batch: number[]): Promise<number[][]> {
  const out: number[][] = [];
  for (const [ta, tb] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    const a = uniform(1, [...batch, ...(ta ? [4, 3] : [3, 4])]);
    const b = uniform(2, [...batch, ...(tb ? [5, 4] : [4, 5])]);
    const w = uniform(3, [...batch, 3, 5]);
    const [ga, gb] = tf.grads((x, y) => tf.sum(tf.mul(tf.matMul(x, y, ta, tb), w)))([a, b]);
    out.push(Array.from(await ga!.data()), Array.from(await gb!.data()));
    tf.dispose([a, b, w, ga!, gb!]);
  }
  return out;
}

const BATCHES = [[], [2]];

describe("the flag-free BatchMatMul gradient", () => {
  const reference: number[][][] = [];
  beforeAll(async () => {
    // tfjs's default gradient on the cpu backend, before ours replaces it.
    await tf.setBackend("cpu");
    for (const batch of BATCHES) reference.push(await gradients(batch));
    registerMatMulGradient(tf);
  });

  it.each(BATCHES.map((b, i) => [b, i] as const))(
    "equals the cpu default on wasm (batch dims %j)",
    async (batch, i) => {
      await tf.setBackend("wasm");
      const ours = await gradients(batch);
      const expected = reference[i]!;
      expect(ours.map((g) => g.length)).toEqual(expected.map((g) => g.length));
      ours.forEach((g, k) => expectClose(g, expected[k]!));
    },
  );
});
