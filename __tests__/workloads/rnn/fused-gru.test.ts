import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { describe, expect, it } from "vitest";
import { fusedGruTimeMajor } from "../../../workloads/rnn/fused-gru.js";
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
const outWeights = uniform(5, BATCH * UNITS, 1); // loss = Σ h ⊙ outWeights: a different gradient per unit

interface Result {
  output: number[];
  grads: number[][]; // w.r.t. kernel, recurrent kernel, bias, input
}

async function read(tensors: tf.Tensor[]): Promise<number[][]> {
  const out = await Promise.all(tensors.map(async (t) => Array.from(await t.data())));
  tf.dispose(tensors);
  return out;
}

/** tf.layers.gru (reset_after=false) holding our weights. */
function gruLayer(x: tf.Tensor, recurrentActivation?: "sigmoid"): tf.layers.Layer {
  const layer = tf.layers.gru({ units: UNITS, recurrentActivation });
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

/** tf.layers.gru with sigmoid gates and our weights. */
async function layersGru(): Promise<Result> {
  const x = tf.tensor3d(input, [BATCH, STEPS, FEATURES]);
  const layer = gruLayer(x, "sigmoid");
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const w = tf.tensor2d(outWeights, [BATCH, UNITS]);
  const output = layer.apply(x) as tf.Tensor;
  const loss = (xx: tf.Tensor) => tf.sum<tf.Scalar>(tf.mul(layer.apply(xx) as tf.Tensor, w));
  const { grads } = tf.variableGrads(() => loss(x), vars);
  const dx = tf.grad(loss)(x);
  const [out, ...g] = await read([output, ...vars.map((v) => grads[v.name]!), dx]);
  layer.dispose();
  tf.dispose([x, w]);
  return { output: out!, grads: g };
}

async function fusedGru(): Promise<Result> {
  const x = tf.tensor3d(input, [BATCH, STEPS, FEATURES]);
  const k = tf.tensor2d(kernel, [FEATURES, 3 * UNITS]);
  const u = tf.tensor2d(recurrent, [UNITS, 3 * UNITS]);
  const b = tf.tensor1d(bias);
  const w = tf.tensor2d(outWeights, [BATCH, UNITS]);
  const run = (xx: tf.Tensor, kk: tf.Tensor, uu: tf.Tensor, bb: tf.Tensor) =>
    fusedGruTimeMajor(tf, tf.transpose(xx, [1, 0, 2]) as tf.Tensor3D, {
      kernel: kk as tf.Tensor2D,
      recurrentKernel: uu as tf.Tensor2D,
      bias: bb as tf.Tensor1D,
    });
  const output = run(x, k, u, b);
  const grads = tf.grads((kk, uu, bb, xx) => tf.sum(tf.mul(run(xx, kk, uu, bb), w)))([k, u, b, x]);
  const [out, ...g] = await read([output, ...grads]);
  tf.dispose([x, k, u, b, w]);
  return { output: out!, grads: g };
}

describe.each(["cpu", "wasm"])("the fused GRU on the %s backend", (backend) => {
  it("gives tf.layers.gru's output and gradients for the same weights", async () => {
    await tf.setBackend(backend);
    const reference = await layersGru();
    const fused = await fusedGru();
    expect(fused.output).toHaveLength(BATCH * UNITS);
    expectClose(fused.output, reference.output);
    expect(fused.grads.map((g) => g.length)).toEqual([
      FEATURES * 3 * UNITS,
      UNITS * 3 * UNITS,
      3 * UNITS,
      input.length,
    ]);
    fused.grads.forEach((g, i) => expectClose(g, reference.grads[i]!));
    // The comparison means something only if the state moved and every weight gets a gradient.
    expect(Math.max(...fused.output.map(Math.abs))).toBeGreaterThan(0.05);
    for (const g of fused.grads) expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it("differs from tf.layers.gru with tfjs's default hardSigmoid gates (the setting matters)", async () => {
    await tf.setBackend(backend);
    const x = tf.tensor3d(input, [BATCH, STEPS, FEATURES]);
    const layer = gruLayer(x);
    const [hard] = await read([layer.apply(x) as tf.Tensor, x]);
    const fused = await fusedGru();
    const diff = Math.max(...fused.output.map((v, i) => Math.abs(v - hard![i]!)));
    expect(diff).toBeGreaterThan(1e-3);
    layer.dispose();
  });
});
