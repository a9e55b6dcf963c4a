/**
 * The two forward passes of the GRU classifier, from the same seeded weights:
 * "fused" (our fused GRU with its own gradient) and "stepwise" (the same cuDNN
 * GRU step by step with plain ops and tfjs's autodiff: the per-step reference;
 * tfjs's layers cannot be it, their GRUCell refuses reset_after).
 */
import type * as tfType from "@tensorflow/tfjs";
import { fusedGruTimeMajor, stepwiseGru, type GruTensors } from "./fused-gru.js";
import type { RnnDims, RnnWeights } from "./init.js";

type Tf = typeof tfType;

/** Token rows [batch, steps] int32 in, logits [batch, classes] out. */
export interface RnnForward {
  logits(sequences: tfType.Tensor2D): tfType.Tensor2D;
  readonly variables: tfType.Variable[];
  dispose(): void;
}

interface Variables extends GruTensors {
  embedding: tfType.Variable;
  denseKernel: tfType.Tensor2D;
  denseBias: tfType.Tensor1D;
}

/** The classifier's tfjs variables, in the canonical order (PyTorch's parameters() order). */
function toVariables(tf: Tf, dims: RnnDims, w: RnnWeights): Variables {
  const { vocab, embedding, units, classes } = dims;
  return {
    embedding: tf.variable(tf.tensor2d(w.embedding, [vocab, embedding])),
    kernel: tf.variable(tf.tensor2d(w.kernel, [embedding, 3 * units])),
    recurrentKernel: tf.variable(tf.tensor2d(w.recurrentKernel, [units, 3 * units])),
    inputBias: tf.variable(tf.tensor1d(w.inputBias)),
    recurrentBias: tf.variable(tf.tensor1d(w.recurrentBias)),
    denseKernel: tf.variable(tf.tensor2d(w.denseKernel, [units, classes])),
    denseBias: tf.variable(tf.tensor1d(w.denseBias)),
  };
}

/** The fused implementation on tfjs variables. */
export function fusedForward(tf: Tf, dims: RnnDims, w: RnnWeights): RnnForward {
  const v = toVariables(tf, dims, w);
  const variables = Object.values(v) as tfType.Variable[];
  return {
    variables,
    logits: (sequences) => {
      // Gathering with transposed indices gives time-major [steps, batch, embedding]
      // without transposing the (larger) embedded tensor.
      const table: tfType.Tensor = v.embedding;
      const x = tf.gather(table, tf.transpose(sequences)) as tfType.Tensor3D;
      const h = fusedGruTimeMajor(tf, x, v);
      return tf.add(tf.matMul(h, v.denseKernel), v.denseBias);
    },
    dispose: () => variables.forEach((x) => x.dispose()),
  };
}

/** The same weights through the step-by-step GRU and tfjs's autodiff. */
export function stepwiseForward(tf: Tf, dims: RnnDims, w: RnnWeights): RnnForward {
  const v = toVariables(tf, dims, w);
  const variables = Object.values(v) as tfType.Variable[];
  return {
    variables,
    logits: (sequences) => {
      const table: tfType.Tensor = v.embedding;
      const x = tf.gather(table, sequences) as tfType.Tensor3D;
      return tf.add(tf.matMul(stepwiseGru(tf, x, v), v.denseKernel), v.denseBias);
    },
    dispose: () => variables.forEach((x) => x.dispose()),
  };
}
