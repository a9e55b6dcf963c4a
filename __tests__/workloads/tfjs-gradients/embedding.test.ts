import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../../../workloads/rng.js";
import { expectClose } from "../close.js";
import { registerEmbeddingGradient } from "../../../workloads/tfjs-gradients/embedding.js";

const ROWS = 7;
const WIDTH = 3;
// Duplicates (4 three times, 0 twice) and an unused row (6): the sum and the zeros both matter.
const INDICES = [
  [4, 0, 4],
  [2, 4, 0],
];
const table = new SeededRandom(5).fillUniform(new Float32Array(ROWS * WIDTH), -1, 1);
const upstream = new SeededRandom(6).fillUniform(new Float32Array(2 * 3 * WIDTH), -1, 1);

/** d/dtable of sum(gather(table, INDICES) ⊙ upstream), on the current backend. */
async function tableGradient(axis = 0): Promise<Float32Array> {
  const g = tf.tidy(() => {
    const x = axis === 0 ? tf.tensor2d(table, [ROWS, WIDTH]) : tf.tensor2d(table, [WIDTH, ROWS]);
    const w = axis === 0 ? tf.tensor3d(upstream, [2, 3, WIDTH]) : tf.tensor3d(upstream, [WIDTH, 2, 3]);
    return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor2d(INDICES, [2, 3], "int32"), axis), w)))(x);
  });
  const data = (await g.data()) as Float32Array;
  g.dispose();
  return data;
}

describe("the embedding (GatherV2) gradient on wasm", () => {
  let reference: Float32Array;
  let referenceAxis1: Float32Array;
  beforeAll(async () => {
    // The cpu backend's default gradient (unsortedSegmentSum) is the reference.
    await tf.setBackend("cpu");
    reference = await tableGradient();
    referenceAxis1 = await tableGradient(1);
  });
  afterAll(() => tf.removeBackend("wasm"));

  it("is missing on wasm without our registration (the problem it solves)", async () => {
    await tf.setBackend("wasm");
    await expect(tableGradient()).rejects.toThrow(/UnsortedSegmentSum/);
  });

  it("equals the cpu backend's default gradient, duplicate indices summed", async () => {
    registerEmbeddingGradient(tf);
    await tf.setBackend("wasm");
    const ours = await tableGradient();
    expectClose(ours, reference, 1e-6);
    // Row 4 sits at flat positions 0, 2 and 4: its gradient is the sum of those upstream rows, not one of them.
    const row4 = [0, 2, 4].map((k) => upstream[k * WIDTH] ?? 0);
    expect(ours[4 * WIDTH]).toBeCloseTo(
      row4.reduce((a, b) => a + b),
      5,
    );
    expect(Array.from(ours.subarray(6 * WIDTH))).toEqual([0, 0, 0]);
  });

  it("handles gathers along axis 1 too", async () => {
    registerEmbeddingGradient(tf); // a second registration is harmless
    await tf.setBackend("wasm");
    const ours = await tableGradient(1);
    expectClose(ours, referenceAxis1, 1e-6);
  });
});
