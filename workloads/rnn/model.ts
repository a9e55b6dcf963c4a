/**
 * `rnn-imdb`: the GRU sentiment classifier of docs/workloads.md §2 in tfjs.
 *
 * Embedding 30,000 × 125 → GRU 100 units (zero initial state, last step's
 * output) → Dense 2 logits; softmax cross-entropy; Adam lr 0.001, β1 0.9,
 * β2 0.999, ε 1e-8. The GRU is cuDNN's (reset gate after the recurrent product,
 * two bias vectors), as every headline framework of the reference ran it:
 * 3,818,302 parameters, the same model as PyTorch's nn.GRU.
 */
import type * as tfType from "@tensorflow/tfjs";
import { registerEmbeddingGradient } from "../tfjs-gradients/embedding.js";
import { registerFastTrainingGradients } from "../tfjs-gradients/index.js";
import { registerFastWasmGather } from "../tfjs-kernels/wasm-gather.js";
import { registerFastWasmSlice } from "../tfjs-kernels/wasm-slice.js";
import { fusedForward, stepwiseForward, type RnnForward } from "./forward.js";
import { REFERENCE_DIMS, seededRnnWeights, type RnnDims } from "./init.js";
import { firstStepProbe } from "../training/probe.js";

type Tf = typeof tfType;

/** Parameters of the reference model: the cuDNN GRU's two bias vectors included. */
export const GRU_PARAMETERS = 3_818_302;

export const ADAM = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

import type { LayerRow } from "../layer-row.js";

export type { LayerRow };

/** The model's layers and parameter counts (pure); the rows sum to GRU_PARAMETERS. */
export function rnnLayerTable(): LayerRow[] {
  const { vocab, embedding, units, classes, seqLen } = REFERENCE_DIMS;
  return [
    {
      name: "embedding",
      kind: "Embedding",
      output: `(N, ${seqLen}, ${embedding})`,
      parameters: vocab * embedding,
      settings: `${vocab.toLocaleString("en-US")} × ${embedding}`,
    },
    {
      name: "gru",
      kind: "GRU",
      output: `(N, ${units})`,
      // kernel + recurrent kernel + two biases, three gates each.
      parameters: 3 * (embedding * units + units * units + 2 * units),
      settings: `${units} units, tanh, sigmoid gates, cuDNN form (reset after the recurrent product, two biases), zero initial state, last step`,
    },
    {
      name: "dense",
      kind: "Dense",
      output: `(N, ${classes})`,
      parameters: units * classes + classes,
      settings: `${classes} logits (softmax in the loss)`,
    },
  ];
}

/** A training loop's view of the model. */
export interface RnnTrainer {
  readonly parameterCount: number;
  readonly implementation: "fused" | "stepwise";
  /** One Adam step on a batch of preprocessed sequences (Int32Array [n,150]); returns the loss read back to the host (syncs the device). */
  trainStep(sequences: Int32Array, labels: Int32Array, n: number): Promise<number>;
  /** The first-step check: one Adam step (see ../training/probe.ts). */
  probeStep(sequences: Int32Array, labels: Int32Array, n: number): Promise<number[]>;
  /** Correct predictions on a batch. */
  evaluate(sequences: Int32Array, labels: Int32Array, n: number): Promise<number>;
  dispose(): void;
}

/** Smaller shapes for tests; the defaults are the reference's (150 steps, 30,000 words). */
export interface RnnOptions {
  seqLen?: number;
  vocab?: number;
}

function checkBatch(dims: RnnDims, sequences: Int32Array, labels: Int32Array, n: number): void {
  if (sequences.length !== n * dims.seqLen || labels.length !== n) {
    throw new Error(
      `expected ${n} sequences of ${dims.seqLen} tokens and ${n} labels; got ${sequences.length} tokens and ${labels.length} labels`,
    );
  }
  const badLabel = labels.findIndex((v) => v < 0 || v >= dims.classes);
  if (badLabel >= 0) throw new Error(`label ${labels[badLabel]} at ${badLabel}; accepted: 0 to ${dims.classes - 1}`);
  // An out-of-range index would read past the table on wasm instead of failing.
  const bad = sequences.findIndex((v) => v < 0 || v >= dims.vocab);
  if (bad >= 0) throw new Error(`token ${sequences[bad]} at ${bad} is outside the vocabulary [0, ${dims.vocab})`);
}

/**
 * Builds the classifier from seeded weights, fused or step by step.
 * Registers, for both, the wasm-capable embedding gradient (training on wasm
 * needs it) and the wasm speed-ups (flag-free matMul gradient, contiguous
 * slice, row gather), so the two implementations are compared on the same backend setup.
 */
export function createRnnTrainer(
  tf: Tf,
  seed: number,
  implementation: "fused" | "stepwise",
  options: RnnOptions = {},
): RnnTrainer {
  registerEmbeddingGradient(tf);
  registerFastTrainingGradients(tf);
  registerFastWasmSlice(tf);
  registerFastWasmGather(tf);
  const dims: RnnDims = { ...REFERENCE_DIMS, ...options };
  const weights = seededRnnWeights(seed, dims);
  const model: RnnForward =
    implementation === "fused" ? fusedForward(tf, dims, weights) : stepwiseForward(tf, dims, weights);
  const optimizer = tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  const inputs = (sequences: Int32Array, labels: Int32Array, n: number) => {
    checkBatch(dims, sequences, labels, n);
    return [tf.tensor2d(sequences, [n, dims.seqLen], "int32"), tf.tensor1d(labels, "int32")] as const;
  };
  return {
    implementation,
    parameterCount: model.variables.reduce((sum, v) => sum + v.size, 0),
    async trainStep(sequences, labels, n) {
      const [x, y] = inputs(sequences, labels, n);
      const cost = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy<tfType.Tensor, tfType.Scalar>(tf.oneHot(y, dims.classes), model.logits(x)),
        true,
        model.variables,
      );
      try {
        return (await cost!.data())[0]!;
      } finally {
        tf.dispose([x, y, cost!]);
      }
    },
    async probeStep(sequences, labels, n) {
      const [x, y] = inputs(sequences, labels, n);
      try {
        return await firstStepProbe(
          tf,
          model.variables,
          () =>
            tf.losses.softmaxCrossEntropy<tfType.Tensor, tfType.Scalar>(tf.oneHot(y, dims.classes), model.logits(x)),
          optimizer,
        );
      } finally {
        tf.dispose([x, y]);
      }
    },
    async evaluate(sequences, labels, n) {
      const [x, y] = inputs(sequences, labels, n);
      const correct = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(model.logits(x), 1), y), "int32")));
      try {
        return (await correct.data())[0]!;
      } finally {
        tf.dispose([x, y, correct]);
      }
    },
    dispose() {
      optimizer.dispose();
      model.dispose();
    },
  };
}
