/**
 * A gradient for the embedding lookup (GatherV2) that the tfjs wasm backend can run.
 *
 * tfjs's default GatherV2 gradient sums the incoming gradient rows into the
 * table with `unsortedSegmentSum`, a kernel the wasm backend lacks: a GRU
 * training step there throws (docs/ENVIRONMENT.md). `scatterND` into a zero
 * tensor of the table's shape does the same sum (duplicate indices add up,
 * checked against the cpu backend's default gradient in the tests) and wasm
 * runs it as one pass over the rows.
 */
import type * as tfType from "@tensorflow/tfjs";

type Tf = typeof tfType;
type Tensor = tfType.Tensor;

/** The gradient of `gather(x, indices, axis)` w.r.t. `x`: rows of dy summed into x's shape. */
function gatherGradient(tf: Tf, x: Tensor, indices: Tensor, dy: Tensor, axis: number): Tensor {
  const shape = x.shape;
  const outer = shape.slice(0, axis);
  const inner = shape.slice(axis + 1);
  const size = indices.size;
  // dy is [outer..., indices..., inner...]; move the gathered axis to the front,
  // as the default gradient does, so scatterND can index whole slices.
  const values = tf.reshape(dy, [...outer, size, ...inner]);
  const toFront = [outer.length, ...outer.map((_, i) => i), ...inner.map((_, i) => outer.length + 1 + i)];
  const front = axis === 0 ? values : tf.transpose(values, toFront);
  const rows = shape[axis] ?? 0;
  const summed = tf.scatterND(tf.reshape(indices, [size, 1]), front, [rows, ...outer, ...inner]);
  if (axis === 0) return summed;
  const back = toFront.map((_, i) => toFront.indexOf(i));
  return tf.transpose(summed, back);
}

/** Our gradient functions, so a second registration can recognise the first. */
const ours = new WeakSet<tfType.GradFunc>();

/**
 * Registers the scatterND-based GatherV2 gradient for every backend (on cpu the
 * result equals the default's). Gathers with batchDims > 0 keep the gradient
 * registered before (tfjs's default). Calling it again changes nothing.
 */
export function registerEmbeddingGradient(tf: Tf): void {
  const previous = tf.getGradient("GatherV2");
  if (ours.has(previous.gradFunc)) return;
  const gradFunc: tfType.GradFunc = (dy, saved, attrs) => {
    const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
    if (batchDims !== 0) return previous.gradFunc(dy, saved, attrs);
    const [x, indices] = saved as [Tensor, Tensor];
    const g = Array.isArray(dy) ? dy[0]! : dy;
    const parsedAxis = axis < 0 ? axis + x.rank : axis;
    return { x: () => gatherGradient(tf, x, indices, g, parsedAxis), indices: () => indices };
  };
  ours.add(gradFunc);
  tf.registerGradient({ kernelName: "GatherV2", inputsToSave: ["x", "indices"], gradFunc });
}
