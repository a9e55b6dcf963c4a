/**
 * The Conv2D gradient for the tfjs wasm backend, built from kernels it runs fast.
 *
 * wasm has no `Conv2DBackpropFilter` kernel (a training step throws), and its
 * `Conv2DBackpropInput` is a plain loop, about 10× slower than its XNNPACK
 * forward convolution. For the configuration our models use (NHWC, stride 1,
 * dilation 1, any 'same'/'valid'/numeric padding) both gradients become
 * XNNPACK work: the input gradient a forward convolution of dy with the flipped
 * filter, the filter gradient one matrix product of an im2col of x against dy.
 * Every other configuration, and every other backend, keeps tfjs's own gradient.
 */
import type * as tfType from "@tensorflow/tfjs";

type Tf = typeof tfType;
type Tensor4D = tfType.Tensor4D;

/** Padding of a stride-1 convolution, as tfjs resolves it. */
export interface ConvPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The attributes tfjs records on a Conv2D kernel call. */
export interface Conv2DAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tfType.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dilations: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
}

const allOnes = (v: number | [number, number]) => (typeof v === "number" ? v === 1 : v[0] === 1 && v[1] === 1);

/**
 * The padding when our fast path applies to this convolution, else null.
 * The flipped-filter input gradient needs `kernel - 1 - pad ≥ 0` on every side.
 */
export function fastConvPadding(
  tf: Tf,
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: Conv2DAttrs,
): ConvPadding | null {
  if (attrs.dataFormat !== "NHWC" || !allOnes(attrs.strides) || !allOnes(attrs.dilations)) return null;
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    1,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  const [kh = 0, kw = 0] = filterShape;
  const fits = [top, bottom].every((p) => p >= 0 && p <= kh - 1) && [left, right].every((p) => p >= 0 && p <= kw - 1);
  return fits ? { top, bottom, left, right } : null;
}

/**
 * dL/dx of a stride-1 NHWC convolution: a forward convolution of dy with the
 * filter rotated 180° and its in/out channels swapped, padded by `kernel - 1 - pad`.
 */
export function conv2dInputGradient(tf: Tf, dy: Tensor4D, filter: Tensor4D, pad: ConvPadding): Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = filter.shape;
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    const explicit: tfType.backend_util.ExplicitPadding = [
      [0, 0],
      [kh - 1 - pad.top, kh - 1 - pad.bottom],
      [kw - 1 - pad.left, kw - 1 - pad.right],
      [0, 0],
    ];
    return tf.conv2d(dy, flipped, 1, explicit);
  });
}

/**
 * dL/dfilter of a stride-1 NHWC convolution as ONE XNNPACK matrix product.
 *
 * Work on the padded frame (Hp×Wp per image) flattened to P positions: there
 * the patch element (i, j) of output position p is input position p + i·Wp + j,
 * a constant shift. So with x transposed to [Ci, P] (plus a zero tail), each of
 * the kh·kw im2col row blocks is one column slice (Ci long contiguous runs), and
 * stacking them gives im2colᵀ [kh·kw·Ci, P] directly. dy is zero-padded to the
 * same frame ([P, Co]; the padded positions contribute nothing), so
 * dW = im2colᵀ · dy needs neither a transposed operand (wasm's matMul with a
 * transpose flag is a slow loop) nor any per-pixel slicing (slow in wasm's JS
 * slice/concat for short runs).
 */
export function conv2dFilterGradient(
  tf: Tf,
  x: Tensor4D,
  dy: Tensor4D,
  filterShape: readonly number[],
  pad: ConvPadding,
): Tensor4D {
  return tf.tidy(() => {
    const [kh = 0, kw = 0, ci = 0, co = 0] = filterShape;
    const [n, h, w] = x.shape;
    const hp = h + pad.top + pad.bottom;
    const wp = w + pad.left + pad.right;
    const [, ho, wo] = dy.shape;
    const positions = n * hp * wp;
    const xPadded = tf.pad(x, [
      [0, 0],
      [pad.top, pad.bottom],
      [pad.left, pad.right],
      [0, 0],
    ]);
    const tail = (kh - 1) * wp + (kw - 1);
    const xT = tf.pad<tfType.Tensor2D>(tf.reshape(tf.transpose(xPadded, [3, 0, 1, 2]), [ci, positions]), [
      [0, 0],
      [0, tail],
    ]);
    const blocks: tfType.Tensor2D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) blocks.push(tf.slice(xT, [0, i * wp + j], [ci, positions]));
    }
    const colsT = blocks.length === 1 ? blocks[0]! : tf.concat(blocks, 0);
    const dyFrame = tf.reshape(
      tf.pad(dy, [
        [0, 0],
        [0, hp - ho],
        [0, wp - wo],
        [0, 0],
      ]),
      [positions, co],
    );
    return tf.reshape(tf.matMul(colsT, dyFrame), [kh, kw, ci, co]);
  });
}
