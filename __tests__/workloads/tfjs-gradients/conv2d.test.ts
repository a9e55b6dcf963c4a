import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxRelativeDifference } from "../../../src/run/cross-check.js";
import { SeededRandom } from "../../../workloads/rng.js";
import { registerFastTrainingGradients } from "../../../workloads/tfjs-gradients/index.js";

type Pad = "same" | "valid" | number;
interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  pad: Pad;
  stride?: number;
}

const seeded = (seed: number, size: number) => new SeededRandom(seed).fillUniform(new Float32Array(size), -1, 1);

/** Gradients of sum(conv2d(x, filter) ⊙ r) for x and filter, on the current backend. */
function convGradients(c: Case): { dx: number[]; dFilter: number[] } {
  return tf.tidy(() => {
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const x = tf.tensor4d(seeded(1, size(c.x)), c.x);
    const filter = tf.tensor4d(seeded(2, size(c.filter)), c.filter);
    const probe = (a: tf.Tensor, f: tf.Tensor) => {
      const y = tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, c.stride ?? 1, c.pad);
      // A seeded weighting makes dy non-uniform, so a transposed or shifted result shows.
      return tf.sum(tf.mul(y, tf.tensor(seeded(3, y.size), y.shape)));
    };
    const [dx, dFilter] = tf.grads(probe)([x, filter]) as [tf.Tensor, tf.Tensor];
    return { dx: Array.from(dx.dataSync()), dFilter: Array.from(dFilter.dataSync()) };
  });
}

async function onBackend<T>(name: string, work: () => T): Promise<T> {
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to start`);
  return work();
}

describe("registered Conv2D gradient", () => {
  beforeAll(() => registerFastTrainingGradients(tf));
  afterAll(async () => {
    await tf.setBackend("wasm");
  });

  const cases: Case[] = [
    { x: [2, 6, 6, 3], filter: [3, 3, 3, 5], pad: "same" },
    { x: [3, 5, 7, 4], filter: [3, 3, 4, 2], pad: "same" },
    { x: [2, 8, 8, 16], filter: [3, 3, 16, 8], pad: "same" },
    { x: [2, 6, 5, 3], filter: [3, 3, 3, 4], pad: "valid" },
    { x: [2, 5, 5, 2], filter: [3, 3, 2, 3], pad: 1 },
    // Even kernel: 'same' pads unequally (less on top/left), the flipped filter must mirror that.
    { x: [2, 6, 6, 3], filter: [2, 2, 3, 4], pad: "same" },
    { x: [2, 4, 4, 6], filter: [1, 1, 6, 5], pad: "same" },
  ];

  it.each(cases)("on wasm equals the cpu backend's default gradient: x $x, filter $filter, pad $pad", async (c) => {
    const reference = await onBackend("cpu", () => convGradients(c));
    const fast = await onBackend("wasm", () => convGradients(c));
    expect(fast.dx).toHaveLength(reference.dx.length);
    expect(fast.dFilter).toHaveLength(reference.dFilter.length);
    expect(maxRelativeDifference(reference.dx, fast.dx)).toBeLessThan(1e-5);
    expect(maxRelativeDifference(reference.dFilter, fast.dFilter)).toBeLessThan(1e-5);
  });

  it("keeps tfjs's own gradient outside the fast path (stride 2 on cpu)", async () => {
    const c: Case = { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], pad: "same", stride: 2 };
    const g = await onBackend("cpu", () => convGradients(c));
    expect(g.dFilter).toHaveLength(3 * 3 * 3 * 4);
    expect(g.dFilter.some((v) => v !== 0)).toBe(true);
  });

  it("registers once however often it is called", async () => {
    registerFastTrainingGradients(tf);
    registerFastTrainingGradients(tf);
    const c = cases[0]!;
    const reference = await onBackend("cpu", () => convGradients(c));
    const fast = await onBackend("wasm", () => convGradients(c));
    expect(maxRelativeDifference(reference.dFilter, fast.dFilter)).toBeLessThan(1e-5);
  });
});
