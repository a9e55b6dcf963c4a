/**
 * The GRU run the fused way, as the reference's cuDNN GRUs ran: the input
 * projection of every time step is ONE matrix product over all steps, and only
 * the recurrent part stays in the loop. `tf.layers.gru` instead multiplies each
 * step's input separately (150 small products and their gradients per batch).
 *
 * The arithmetic is cuDNN's GRU, which every headline framework of the reference
 * ran (PyTorch's nn.GRU, Keras' CuDNNGRU / reset_after = True): the reset gate
 * is applied AFTER the recurrent product, and there are two bias vectors, one on
 * the input projection and one on the recurrent one (gates ordered z, r, h along
 * the kernels' last axis, as Keras orders them):
 *   z = σ(x·Wz + bz + h·Uz + cz),  r = σ(x·Wr + br + h·Ur + cr)
 *   ĥ = tanh(x·Wh + bh + r ⊙ (h·Uh + ch)),  h' = z ⊙ h + (1 − z) ⊙ ĥ
 * tfjs's own GRUCell has no reset_after (it refuses the option), hence this.
 *
 * The recurrence carries its own gradient (backpropagation through time, like
 * cuDNN's): tfjs's autodiff would pad every per-step slice back to the full
 * [steps, batch, 3·units] shape and sum 150 of them, and it would leave the
 * recurrent-kernel gradient as 150 small products instead of one.
 */
import type * as tfType from "@tensorflow/tfjs";
import { registerFastTrainingGradients } from "../tfjs-gradients/index.js";
import { registerFastWasmSlice } from "../tfjs-kernels/wasm-slice.js";

type Tf = typeof tfType;
type T2 = tfType.Tensor2D;

/** GRU weights in tfjs's layout; any of them may be variables. */
export interface GruTensors {
  kernel: T2; // [features, 3·units]
  recurrentKernel: T2; // [units, 3·units]
  inputBias: tfType.Tensor1D; // [3·units], added to the input projection
  recurrentBias: tfType.Tensor1D; // [3·units], added to the recurrent projection (inside r ⊙ …)
}

/** What the forward pass keeps per step for the backward pass. */
interface StepSaved {
  h: T2; // state before the step
  zr: T2; // σ of the z and r pre-activations, [batch, 2·units]
  hu: T2; // h·Uh + ch, the candidate's recurrent part before the reset gate
  candidate: T2; // ĥ
}

function forwardSteps(tf: Tf, projected: tfType.Tensor3D, u: T2, c: tfType.Tensor1D, steps: StepSaved[]): T2 {
  const [count, batch, width] = projected.shape;
  const units = width / 3;
  let h: T2 = tf.zeros([batch, units]);
  for (let t = 0; t < count; t++) {
    const p = tf.reshape(tf.slice(projected, [t, 0, 0], [1, batch, width]), [batch, width]);
    // One product per step for all three gates: the reset gate applies after it.
    const q = tf.fused.matMul({ a: h, b: u, bias: c }) as T2;
    const zr = tf.sigmoid(tf.add<T2>(tf.slice(p, [0, 0], [batch, 2 * units]), tf.slice(q, [0, 0], [batch, 2 * units])));
    const z = tf.slice(zr, [0, 0], [batch, units]);
    const r = tf.slice(zr, [0, units], [batch, units]);
    const hu: T2 = tf.slice(q, [0, 2 * units], [batch, units]);
    const candidate: T2 = tf.tanh(tf.add<T2>(tf.slice(p, [0, 2 * units], [batch, units]), tf.mul(r, hu)));
    steps.push({ h, zr, hu, candidate });
    // z ⊙ h + (1 − z) ⊙ ĥ, written as ĥ + z ⊙ (h − ĥ): three ops instead of four.
    h = tf.add(candidate, tf.mul(z, tf.sub(h, candidate)));
  }
  return h;
}

/**
 * Backpropagation through time: gradients w.r.t. the projected inputs, the
 * recurrent kernel and the recurrent bias.
 */
function backwardSteps(tf: Tf, dh: T2, u: T2, steps: StepSaved[]): [tfType.Tensor3D, T2, tfType.Tensor1D] {
  const units = u.shape[0];
  const [batch] = dh.shape;
  // Explicit transpose: wasm's flagged matMul is ~10× slower (see tfjs-gradients/matmul.ts).
  const uT = tf.transpose(u);
  const dQ: T2[] = new Array<T2>(steps.length);
  const dP: T2[] = new Array<T2>(steps.length);
  let g = dh;
  for (let t = steps.length - 1; t >= 0; t--) {
    const { zr, hu, candidate, h } = steps[t]!;
    const z = tf.slice(zr, [0, 0], [batch, units]);
    const r = tf.slice(zr, [0, units], [batch, units]);
    const da: T2 = tf.mul(tf.mul(g, tf.sub(1, z)), tf.sub(1, tf.square(candidate))); // through (1 − z) and tanh
    const dzrOut = tf.concat([tf.mul(g, tf.sub(h, candidate)), tf.mul(da, hu)], 1); // d/dz, d/dr
    const dzr: T2 = tf.mul(dzrOut, tf.mul(zr, tf.sub(1, zr))); // through σ
    const dq = tf.concat<T2>([dzr, tf.mul<T2>(da, r)], 1); // w.r.t. h·U + c
    dQ[t] = dq;
    dP[t] = tf.concat([dzr, da], 1); // w.r.t. the projected input (its bias included)
    g = tf.add<T2>(tf.mul(g, z), tf.matMul(dq, uT));
  }
  // One product over all steps: Σ_t hᵀ·dq.
  const allQ = tf.concat(dQ, 0);
  const hT = tf.transpose(
    tf.concat(
      steps.map((s) => s.h),
      0,
    ),
  );
  const dU: T2 = tf.matMul(hT, allQ);
  const dC = tf.sum<tfType.Tensor1D>(allQ, 0);
  return [tf.reshape<tfType.Rank.R3>(tf.concat(dP, 0), [steps.length, batch, 3 * units]), dU, dC];
}

/** The recurrent part as one differentiable op of (projected inputs, recurrent kernel, recurrent bias). */
function recurrence(tf: Tf, projected: tfType.Tensor3D, recurrentKernel: T2, recurrentBias: tfType.Tensor1D): T2 {
  const op = tf.customGrad((...args: (tfType.Tensor | tfType.GradSaveFunc)[]) => {
    const [p, u, c, save] = args as [tfType.Tensor3D, T2, tfType.Tensor1D, tfType.GradSaveFunc];
    const steps: StepSaved[] = [];
    const value = forwardSteps(tf, p, u, c, steps);
    save([u, ...steps.flatMap((s) => [s.h, s.zr, s.hu, s.candidate])]);
    const gradFunc = (dy: tfType.Tensor, saved: tfType.Tensor[]) => {
      const [uSaved, ...rest] = saved as T2[];
      const restored: StepSaved[] = [];
      for (let i = 0; i < rest.length; i += 4) {
        restored.push({ h: rest[i]!, zr: rest[i + 1]!, hu: rest[i + 2]!, candidate: rest[i + 3]! });
      }
      return backwardSteps(tf, dy as T2, uSaved!, restored);
    };
    return { value, gradFunc };
  });
  return op(projected, recurrentKernel, recurrentBias);
}

/**
 * Runs the GRU over time-major input [steps, batch, features] from a zero state
 * and returns the last step's output [batch, units]. Differentiable w.r.t. the
 * input and all weights. Registers the wasm helpers it relies on for speed
 * (a flag-free matMul gradient, a fast contiguous slice).
 */
export function fusedGruTimeMajor(tf: Tf, x: tfType.Tensor3D, w: GruTensors): T2 {
  registerFastTrainingGradients(tf);
  registerFastWasmSlice(tf);
  const [steps, batch, features] = x.shape;
  const width = w.kernel.shape[1];
  // One product for every step's input projection (plain matMul + add: the
  // gradient of tf.fused.matMul uses the slow flagged products).
  const projected = tf.add(tf.matMul(tf.reshape(x, [steps * batch, features]), w.kernel), w.inputBias);
  return recurrence(tf, tf.reshape(projected, [steps, batch, width]), w.recurrentKernel, w.recurrentBias);
}

/**
 * The same GRU step by step with plain ops, differentiated by tfjs's autodiff:
 * the independent reference the fused form is tested against, and what tfjs's
 * layers would run if its GRUCell had reset_after. Batch-major input [batch, steps, features].
 */
export function stepwiseGru(tf: Tf, x: tfType.Tensor3D, w: GruTensors): T2 {
  const [batch, steps, features] = x.shape;
  const units = w.recurrentKernel.shape[0];
  const gate = (m: tfType.Tensor, i: number): T2 => tf.slice(m, [0, i * units], [-1, units]) as T2;
  let h: T2 = tf.zeros([batch, units]);
  for (let t = 0; t < steps; t++) {
    const xt = tf.reshape<tfType.Rank.R2>(tf.slice(x, [0, t, 0], [batch, 1, features]), [batch, features]);
    const p = tf.add(tf.matMul(xt, w.kernel), w.inputBias);
    const q = tf.add(tf.matMul(h, w.recurrentKernel), w.recurrentBias);
    const z = tf.sigmoid(tf.add(gate(p, 0), gate(q, 0)));
    const r = tf.sigmoid(tf.add(gate(p, 1), gate(q, 1)));
    const candidate = tf.tanh(tf.add(gate(p, 2), tf.mul(r, gate(q, 2))));
    h = tf.add<T2>(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
  }
  return h;
}
