/**
 * The BatchMatMul gradient for the tfjs wasm backend without transpose flags.
 *
 * tfjs's own gradient multiplies with `transposeA`/`transposeB` set, and wasm
 * runs those through a plain loop (≈10× slower than its XNNPACK product on the
 * same shapes, measured here). Transposing the operand explicitly (a cheap
 * copy) keeps every product on the fast path. Only rank-2 operands take this
 * path; batched or broadcast products keep tfjs's gradient.
 */
import type * as tfType from "@tensorflow/tfjs";

type Tf = typeof tfType;
type Tensor2D = tfType.Tensor2D;

/** `op(p) · op(q)` with any transposes done as explicit copies. */
function product(tf: Tf, p: Tensor2D, transposeP: boolean, q: Tensor2D, transposeQ: boolean): Tensor2D {
  return tf.matMul(transposeP ? tf.transpose(p) : p, transposeQ ? tf.transpose(q) : q);
}

/** dL/da and dL/db of `c = op(a) · op(b)` for rank-2 a, b, where op transposes when its flag is set. */
export function matMulGradients(
  tf: Tf,
  dy: Tensor2D,
  a: Tensor2D,
  b: Tensor2D,
  transposeA: boolean,
  transposeB: boolean,
): { a: () => Tensor2D; b: () => Tensor2D } {
  return {
    // dA = dy · op(b)ᵀ, transposed back when a was used transposed.
    a: () => (transposeA ? product(tf, b, transposeB, dy, true) : product(tf, dy, false, b, !transposeB)),
    // dB = op(a)ᵀ · dy, transposed back when b was used transposed.
    b: () => (transposeB ? product(tf, dy, true, a, transposeA) : product(tf, a, !transposeA, dy, false)),
  };
}
