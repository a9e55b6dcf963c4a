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
 */
import type * as tfType from "@tensorflow/tfjs";

type Tf = typeof tfType;

/** GRU weights in tfjs's layout; any of them may be variables. */
export interface GruTensors {
  kernel: tfType.Tensor2D; // [features, 3·units]
  recurrentKernel: tfType.Tensor2D; // [units, 3·units]
  bias: tfType.Tensor1D; // [3·units]
}

/**
 * Runs the GRU over time-major input [steps, batch, features] from a zero state
 * and returns the last step's output [batch, units]. Differentiable (tfjs's
 * autodiff), so it trains with any tfjs optimizer.
 */
export function fusedGruTimeMajor(tf: Tf, x: tfType.Tensor3D, w: GruTensors): tfType.Tensor2D {
  const [steps, batch, features] = x.shape;
  const units = w.recurrentKernel.shape[0];
  // One product for every step's input projection, bias included.
  const projected = tf.fused.matMul({ a: tf.reshape(x, [steps * batch, features]), b: w.kernel, bias: w.bias });
  const [pzr, ph] = tf.split(projected, [2 * units, units], 1) as [tfType.Tensor2D, tfType.Tensor2D];
  // Time-major rows make each step's slice contiguous.
  const zrInputs = tf.unstack(tf.reshape(pzr, [steps, batch, 2 * units])) as tfType.Tensor2D[];
  const hInputs = tf.unstack(tf.reshape(ph, [steps, batch, units])) as tfType.Tensor2D[];
  const [uzr, uh] = tf.split(w.recurrentKernel, [2 * units, units], 1) as [tfType.Tensor2D, tfType.Tensor2D];

  let h: tfType.Tensor2D = tf.zeros([batch, units]);
  for (let t = 0; t < steps; t++) {
    const zr = tf.sigmoid(tf.add(zrInputs[t]!, tf.matMul(h, uzr)));
    const [z, r] = tf.split(zr, 2, 1) as [tfType.Tensor2D, tfType.Tensor2D];
    const candidate = tf.tanh(tf.add(hInputs[t]!, tf.matMul(tf.mul(r, h), uh)));
    // z ⊙ h + (1 − z) ⊙ ĥ, written as ĥ + z ⊙ (h − ĥ): three ops instead of four.
    h = tf.add(candidate, tf.mul(z, tf.sub(h, candidate)));
  }
  return h;
}
