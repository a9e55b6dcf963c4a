/**
 * Training gradients for the tfjs wasm backend, registered over tfjs's own.
 *
 * tfjs keeps one gradient per kernel for all backends, so each registered
 * gradient checks the backend at call time: on wasm it builds the gradient from
 * the kernels wasm runs fast (XNNPACK convolutions and products, pad, slice,
 * concat, transpose); on any other backend, and for any configuration outside
 * the fast path, it calls the gradient tfjs had registered before, unchanged.
 */
import type * as tfType from "@tensorflow/tfjs";
import { conv2dFilterGradient, conv2dInputGradient, fastConvPadding, type Conv2DAttrs } from "./conv2d.js";
import { matMulGradients } from "./matmul.js";
import { registerFastWasmSlice } from "../tfjs-kernels/wasm-slice.js";

type Tf = typeof tfType;
type GradConfig = tfType.GradConfig;

/** The backend whose missing or slow gradient kernels these replace. */
export const FAST_GRADIENT_BACKEND = "wasm";

/** Marks our gradient functions, so registering twice never wraps ours in ours. */
const OURS = Symbol.for("rosetta-bench.fast-gradient");
type Marked = GradConfig["gradFunc"] & { [OURS]?: true };

function override(
  tf: Tf,
  kernelName: string,
  make: (fallback: GradConfig["gradFunc"]) => GradConfig["gradFunc"],
): void {
  const original = tf.getGradient(kernelName);
  if (!original) throw new Error(`tfjs has no gradient registered for ${kernelName}`);
  if ((original.gradFunc as Marked)[OURS]) return;
  const gradFunc = make(original.gradFunc) as Marked;
  gradFunc[OURS] = true;
  tf.registerGradient({ ...original, gradFunc });
}

/**
 * Registers the fast wasm gradients of Conv2D and BatchMatMul (idempotent).
 * The CNN's training step then runs on wasm, where it otherwise throws for lack
 * of a `Conv2DBackpropFilter` kernel. Also puts the fast wasm Slice in front of
 * wasm's own: the filter gradient takes its im2col bands with it.
 */
export function registerFastTrainingGradients(tf: Tf): void {
  registerFastWasmSlice(tf);
  override(tf, "Conv2D", (fallback) => (dy, saved, attrs) => {
    const [x, filter] = saved as [tfType.Tensor4D, tfType.Tensor4D];
    const pad =
      tf.getBackend() === FAST_GRADIENT_BACKEND
        ? fastConvPadding(tf, x.shape, filter.shape, attrs as unknown as Conv2DAttrs)
        : null;
    if (!pad) return fallback(dy, saved, attrs);
    const dy4 = dy as tfType.Tensor4D;
    return {
      x: () => conv2dInputGradient(tf, dy4, filter, pad),
      filter: () => conv2dFilterGradient(tf, x, dy4, filter.shape, pad),
    };
  });
  override(tf, "BatchMatMul", (fallback) => (dy, saved, attrs) => {
    const [a, b] = saved as [tfType.Tensor2D, tfType.Tensor2D];
    if (tf.getBackend() !== FAST_GRADIENT_BACKEND || a.rank !== 2 || b.rank !== 2) return fallback(dy, saved, attrs);
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    return matMulGradients(tf, dy as tfType.Tensor2D, a, b, transposeA, transposeB);
  });
}
