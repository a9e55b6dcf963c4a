/**
 * The two forward passes of the GRU classifier, from the same seeded weights:
 * "fused" (our fused GRU on plain tfjs variables) and "layers" (tfjs's
 * Embedding → GRU → Dense layers, the per-step reference).
 */
import type * as tfType from "@tensorflow/tfjs";
import { fusedGruTimeMajor } from "./fused-gru.js";
import type { RnnDims, RnnWeights } from "./init.js";

type Tf = typeof tfType;

/** Token rows [batch, steps] int32 in, logits [batch, classes] out. */
export interface RnnForward {
  logits(sequences: tfType.Tensor2D): tfType.Tensor2D;
  readonly variables: tfType.Variable[];
  dispose(): void;
}

/** The fused implementation on tfjs variables. */
export function fusedForward(tf: Tf, dims: RnnDims, w: RnnWeights): RnnForward {
  const { vocab, embedding, units, classes } = dims;
  const v = {
    embedding: tf.variable(tf.tensor2d(w.embedding, [vocab, embedding]), true, "rnn/embedding"),
    kernel: tf.variable(tf.tensor2d(w.kernel, [embedding, 3 * units]), true, "rnn/gru/kernel"),
    recurrentKernel: tf.variable(tf.tensor2d(w.recurrentKernel, [units, 3 * units]), true, "rnn/gru/recurrent_kernel"),
    bias: tf.variable(tf.tensor1d(w.bias), true, "rnn/gru/bias"),
    denseKernel: tf.variable(tf.tensor2d(w.denseKernel, [units, classes]), true, "rnn/dense/kernel"),
    denseBias: tf.variable(tf.tensor1d(w.denseBias), true, "rnn/dense/bias"),
  };
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

/** tfjs's own layers (per-step GRU), given the same weights. */
export function layersForward(tf: Tf, dims: RnnDims, w: RnnWeights): RnnForward {
  const { vocab, embedding, units, classes, seqLen } = dims;
  // Zero initializers: the seeded weights are set right after, and tfjs's
  // orthogonal initializer would only cost time.
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({
        inputDim: vocab,
        outputDim: embedding,
        inputLength: seqLen,
        embeddingsInitializer: "zeros",
      }),
      tf.layers.gru({
        units,
        // The reference's cuDNN GRU uses the logistic sigmoid; tfjs defaults to hardSigmoid.
        recurrentActivation: "sigmoid",
        kernelInitializer: "zeros",
        recurrentInitializer: "zeros",
      }),
      tf.layers.dense({ units: classes, kernelInitializer: "zeros" }),
    ],
  });
  const shapes = [
    [vocab, embedding],
    [embedding, 3 * units],
    [units, 3 * units],
    [3 * units],
    [units, classes],
    [classes],
  ];
  const values = [w.embedding, w.kernel, w.recurrentKernel, w.bias, w.denseKernel, w.denseBias];
  const tensors = values.map((data, i) => tf.tensor(data, shapes[i]));
  model.setWeights(tensors);
  tf.dispose(tensors);
  // LayerVariable.read() hands back the tf.Variable that holds the weight.
  const variables = model.trainableWeights.map((lv) => lv.read() as tfType.Variable);
  return {
    variables,
    logits: (sequences) => model.apply(sequences, { training: true }) as tfType.Tensor2D,
    dispose: () => model.dispose(),
  };
}
