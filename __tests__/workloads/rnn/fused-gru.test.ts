import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { describe, expect, it } from "vitest";
import { fusedGruTimeMajor, stepwiseGru, type GruTensors } from "../../../workloads/rnn/fused-gru.js";
import { orthogonalRows } from "../../../workloads/rnn/init.js";
import { SeededRandom } from "../../../workloads/rng.js";
import { expectClose } from "../close.js";

const [BATCH, STEPS, FEATURES, UNITS] = [3, 12, 5, 4];
const uniform = (seed: number, n: number, scale = 0.6) =>
  new SeededRandom(seed).fillUniform(new Float32Array(n), -scale, scale);
const input = uniform(1, BATCH * STEPS * FEATURES, 1);
const kernel = uniform(2, FEATURES * 3 * UNITS);
const recurrent = orthogonalRows(3, UNITS, 3 * UNITS);
const bias = uniform(4, 3 * UNITS, 0.3); // non-zero, so a mis-sliced bias shows
const recurrentBias = uniform(6, 3 * UNITS, 0.3);
const outWeights = uniform(5, BATCH * UNITS, 1); // loss = Σ h ⊙ outWeights: a different gradient per unit

interface Result {
  output: number[];
  grads: number[][]; // w.r.t. kernel, recurrent kernel, input bias, recurrent bias, input
}

async function read(tensors: tf.Tensor[]): Promise<number[][]> {
  const out = await Promise.all(tensors.map(async (t) => Array.from(await t.data())));
  tf.dispose(tensors);
  return out;
}

/** tf.layers.gru (reset_after=false: the reset gate before the recurrent product, one bias) holding our weights. */
function gruLayer(x: tf.Tensor): tf.layers.Layer {
  const layer = tf.layers.gru({ units: UNITS, recurrentActivation: "sigmoid" });
  tf.dispose(layer.apply(x) as tf.Tensor); // builds the weights, which are then replaced
  const weights = [
    tf.tensor2d(kernel, [FEATURES, 3 * UNITS]),
    tf.tensor2d(recurrent, [UNITS, 3 * UNITS]),
    tf.tensor1d(bias),
  ];
  layer.setWeights(weights);
  tf.dispose(weights);
  return layer;
}

type Gru = (x: tf.Tensor3D, w: GruTensors) => tf.Tensor2D;

/** Batch-major input through the fused GRU (which runs time-major). */
const fused: Gru = (x, w) => fusedGruTimeMajor(tf, tf.transpose(x, [1, 0, 2]), w);
const stepwise: Gru = (x, w) => stepwiseGru(tf, x, w);

/** Output and gradients of Σ gru(x) ⊙ outWeights w.r.t. every weight and the input. */
async function run(gru: Gru, recurrentBiasValues = recurrentBias): Promise<Result> {
  const x = tf.tensor3d(input, [BATCH, STEPS, FEATURES]);
  const k = tf.tensor2d(kernel, [FEATURES, 3 * UNITS]);
  const u = tf.tensor2d(recurrent, [UNITS, 3 * UNITS]);
  const b = tf.tensor1d(bias);
  const c = tf.tensor1d(recurrentBiasValues);
  const w = tf.tensor2d(outWeights, [BATCH, UNITS]);
  const apply = (xx: tf.Tensor, kk: tf.Tensor, uu: tf.Tensor, bb: tf.Tensor, cc: tf.Tensor) =>
    gru(xx as tf.Tensor3D, {
      kernel: kk as tf.Tensor2D,
      recurrentKernel: uu as tf.Tensor2D,
      inputBias: bb as tf.Tensor1D,
      recurrentBias: cc as tf.Tensor1D,
    });
  const output = apply(x, k, u, b, c);
  const grads = tf.grads((kk, uu, bb, cc, xx) => tf.sum(tf.mul(apply(xx, kk, uu, bb, cc), w)))([k, u, b, c, x]);
  const [out, ...g] = await read([output, ...grads]);
  tf.dispose([x, k, u, b, c, w]);
  return { output: out!, grads: g };
}

describe.each(["cpu", "wasm"])("the fused GRU on the %s backend", (backend) => {
  it("gives the step-by-step cuDNN GRU's output and, through its own gradient, tfjs autodiff's gradients", async () => {
    await tf.setBackend(backend);
    const reference = await run(stepwise);
    const mine = await run(fused);
    expect(mine.output).toHaveLength(BATCH * UNITS);
    expectClose(mine.output, reference.output);
    expect(mine.grads.map((g) => g.length)).toEqual([
      FEATURES * 3 * UNITS,
      UNITS * 3 * UNITS,
      3 * UNITS,
      3 * UNITS,
      input.length,
    ]);
    mine.grads.forEach((g, i) => expectClose(g, reference.grads[i]!));
    // The comparison means something only if the state moved and every weight gets a gradient.
    expect(Math.max(...mine.output.map(Math.abs))).toBeGreaterThan(0.05);
    for (const g of mine.grads) expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it("differs from tfjs's own GRU (reset gate before the recurrent product) for the same weights: the form matters", async () => {
    await tf.setBackend(backend);
    const x = tf.tensor3d(input, [BATCH, STEPS, FEATURES]);
    const layer = gruLayer(x);
    const [resetBefore] = await read([layer.apply(x) as tf.Tensor, x]);
    // With the second bias zero, the two forms differ only in where the reset gate applies.
    const mine = await run(fused, new Float32Array(3 * UNITS));
    const diff = Math.max(...mine.output.map((v, i) => Math.abs(v - resetBefore![i]!)));
    expect(diff).toBeGreaterThan(1e-3);
    layer.dispose();
  });
});
