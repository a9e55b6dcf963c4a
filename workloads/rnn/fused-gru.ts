/**
 * The GRU run the fused way, as the reference's cuDNN GRUs ran: the input
 * projection of every time step is ONE matrix product over all steps, and only
 * the recurrent part stays in the loop. `tf.layers.gru` instead multiplies each
 * step's input separately (150 small products and their gradients per batch).
 *
 * The arithmetic is tfjs's GRUCell with reset_after = false and one bias vector
 * (gates ordered z, r, h along the kernels' last axis):
 *   z = σ(x·Wz + b_z + h·Uz),  r = σ(x·Wr + b_r + h·Ur)
 *   ĥ = tanh(x·Wh + b_h + (r ⊙ h)·Uh),  h' = z ⊙ h + (1 − z) ⊙ ĥ
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
  bias: tfType.Tensor1D; // [3·units]
}

/** What the forward pass keeps per step for the backward pass. */
interface StepSaved {
  h: T2; // state before the step
  zr: T2; // σ of the z and r pre-activations, [batch, 2·units]
  rh: T2; // r ⊙ h
  candidate: T2; // ĥ
}

function forwardSteps(tf: Tf, projected: tfType.Tensor3D, recurrentKernel: T2, steps: StepSaved[]): T2 {
  const [count, batch, width] = projected.shape;
  const units = width / 3;
  const uzr = tf.slice(recurrentKernel, [0, 0], [units, 2 * units]);
  const uh = tf.slice(recurrentKernel, [0, 2 * units], [units, units]);
  let h: T2 = tf.zeros([batch, units]);
  for (let t = 0; t < count; t++) {
    const p = tf.reshape(tf.slice(projected, [t, 0, 0], [1, batch, width]), [batch, width]);
    const zr = tf.sigmoid(tf.add<T2>(tf.slice(p, [0, 0], [batch, 2 * units]), tf.matMul(h, uzr)));
    const z = tf.slice(zr, [0, 0], [batch, units]);
    const rh: T2 = tf.mul(tf.slice(zr, [0, units], [batch, units]), h);
    const candidate: T2 = tf.tanh(tf.add<T2>(tf.slice(p, [0, 2 * units], [batch, units]), tf.matMul(rh, uh)));
    steps.push({ h, zr, rh, candidate });
    // z ⊙ h + (1 − z) ⊙ ĥ, written as ĥ + z ⊙ (h − ĥ): three ops instead of four.
    h = tf.add(candidate, tf.mul(z, tf.sub(h, candidate)));
  }
  return h;
}

/** Backpropagation through time: gradients w.r.t. the projected inputs and the recurrent kernel. */
function backwardSteps(tf: Tf, dh: T2, recurrentKernel: T2, steps: StepSaved[]): [tfType.Tensor3D, T2] {
  const units = recurrentKernel.shape[0];
  const [batch] = dh.shape;
  // Explicit transposes: wasm's flagged matMul is ~10× slower (see tfjs-gradients/matmul.ts).
  const uzrT = tf.transpose(tf.slice(recurrentKernel, [0, 0], [units, 2 * units]));
  const uhT = tf.transpose(tf.slice(recurrentKernel, [0, 2 * units], [units, units]));
  const dZr: T2[] = new Array<T2>(steps.length);
  const dCand: T2[] = new Array<T2>(steps.length);
  let g = dh;
  for (let t = steps.length - 1; t >= 0; t--) {
    const { h, zr, candidate } = steps[t]!;
    const z = tf.slice(zr, [0, 0], [batch, units]);
    const r = tf.slice(zr, [0, units], [batch, units]);
    const da: T2 = tf.mul(tf.mul(g, tf.sub(1, z)), tf.sub(1, tf.square(candidate))); // through (1 − z) and tanh
    const dRh = tf.matMul(da, uhT);
    const dzrOut = tf.concat([tf.mul(g, tf.sub(h, candidate)), tf.mul(dRh, h)], 1); // d/dz, d/dr
    const dzr: T2 = tf.mul(dzrOut, tf.mul(zr, tf.sub(1, zr))); // through σ
    dZr[t] = dzr;
    dCand[t] = da;
    g = tf.addN([tf.mul(g, z), tf.mul(dRh, r), tf.matMul(dzr, uzrT)]) as T2;
  }
  // One product per gate group over all steps: Σ_t hᵀ·dzr and Σ_t (r⊙h)ᵀ·da.
  const allZr = tf.concat(dZr, 0);
  const allCand = tf.concat(dCand, 0);
  const hT = tf.transpose(
    tf.concat(
      steps.map((s) => s.h),
      0,
    ),
  );
  const rhT = tf.transpose(
    tf.concat(
      steps.map((s) => s.rh),
      0,
    ),
  );
  const dU = tf.concat([tf.matMul(hT, allZr), tf.matMul(rhT, allCand)], 1);
  const dP = tf.reshape<tfType.Rank.R3>(tf.concat([allZr, allCand], 1), [steps.length, batch, 3 * units]);
  return [dP, dU as T2];
}

/** The recurrent part as one differentiable op of (projected inputs, recurrent kernel). */
function recurrence(tf: Tf, projected: tfType.Tensor3D, recurrentKernel: T2): T2 {
  const op = tf.customGrad((...args: (tfType.Tensor | tfType.GradSaveFunc)[]) => {
    const [p, u, save] = args as [tfType.Tensor3D, T2, tfType.GradSaveFunc];
    const steps: StepSaved[] = [];
    const value = forwardSteps(tf, p, u, steps);
    save([u, ...steps.flatMap((s) => [s.h, s.zr, s.rh, s.candidate])]);
    const gradFunc = (dy: tfType.Tensor, saved: tfType.Tensor[]) => {
      const [uSaved, ...rest] = saved as T2[];
      const restored: StepSaved[] = [];
      for (let i = 0; i < rest.length; i += 4) {
        restored.push({ h: rest[i]!, zr: rest[i + 1]!, rh: rest[i + 2]!, candidate: rest[i + 3]! });
      }
      return backwardSteps(tf, dy as T2, uSaved!, restored);
    };
    return { value, gradFunc };
  });
  return op(projected, recurrentKernel);
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
  const projected = tf.add(tf.matMul(tf.reshape(x, [steps * batch, features]), w.kernel), w.bias);
  return recurrence(tf, tf.reshape(projected, [steps, batch, width]), w.recurrentKernel);
}
