/**
 * The `cnn-cifar10` model in tfjs: one code path for every tfjs backend.
 *
 * Plain ops on variables rather than tf.layers: the same math with less
 * bookkeeping per step, and `tf.conv2d` + bias + ReLU rather than
 * `tf.fused.conv2d`, whose custom gradient calls `Conv2DBackpropFilter`
 * directly and so bypasses the fast wasm gradients registered in
 * ../tfjs-gradients. Channels-last (NHWC) because tfjs's cpu and wasm
 * convolutions support no other layout. ReLU after conv 2 and 4 sits after
 * the max-pool (same result, a quarter of the work; docs/workloads.md allows it).
 */
import type * as tfType from "@tensorflow/tfjs";
import { deriveSeed } from "../rng.js";
import { nchwToNhwc } from "../resnet50/tfjs-model.js";
import { denseToTfjs, oihwToHwio, transpose2d } from "./tfjs-layout.js";
import { registerFastTrainingGradients } from "../tfjs-gradients/index.js";
import { firstStepProbe } from "../training/probe.js";
import {
  CNN_CHANNELS,
  CNN_CLASSES,
  CNN_CONVS,
  CNN_DENSES,
  CNN_DROPOUT,
  CNN_IMAGE_SIZE,
  CNN_LEARNING_RATE,
  CNN_MOMENTUM,
  CNN_PARAMETERS,
  cnnSeededWeights,
  type CnnWeights,
} from "./architecture.js";

export { CNN_PARAMETERS, cnnLayerTable, type LayerRow } from "./architecture.js";

type Tf = typeof tfType;
type Tensor = tfType.Tensor;

/** A CNN being trained; created by {@link createCnnTrainer}. */
export interface CnnTrainer {
  readonly parameterCount: number;
  readonly layout: "NHWC";
  /**
   * One SGD step on a batch; returns the batch loss read back to the host (that
   * read-back syncs the device). Images arrive NCHW [n,3,32,32] in [0,1], as the
   * data loader gives them; the conversion to NHWC is part of the step.
   */
  trainStep(images: Float32Array, labels: Int32Array, n: number): Promise<number>;
  /** The first-step check: one SGD step with dropout off (see ../training/probe.ts). */
  probeStep(images: Float32Array, labels: Int32Array, n: number): Promise<number[]>;
  /** Number of correct predictions on a batch, dropout off. */
  evaluate(images: Float32Array, labels: Int32Array, n: number): Promise<number>;
  dispose(): void;
}

interface Params {
  convs: { kernel: tfType.Variable<tfType.Rank.R4>; bias: tfType.Variable<tfType.Rank.R1> }[];
  denses: { kernel: tfType.Variable<tfType.Rank.R2>; bias: tfType.Variable<tfType.Rank.R1> }[];
}

/** A trainable variable owning its data: the initial tensor is released (tf.variable keeps a reference to its data). */
function variable<R extends tfType.Rank>(tf: Tf, initial: tfType.Tensor<R>): tfType.Variable<R> {
  const v = tf.variable(initial);
  initial.dispose();
  return v;
}

function toVariables(tf: Tf, w: CnnWeights): Params {
  const lastConv = CNN_CONVS[CNN_CONVS.length - 1]!;
  return {
    convs: CNN_CONVS.map((c, l) => ({
      kernel: variable(
        tf,
        tf.tensor4d(oihwToHwio(w.convs[l]!.kernel, c.outChannels, c.inChannels, c.kernel), [
          c.kernel,
          c.kernel,
          c.inChannels,
          c.outChannels,
        ]),
      ),
      bias: variable(tf, tf.tensor1d(w.convs[l]!.bias)),
    })),
    denses: CNN_DENSES.map((d, l) => {
      const kernel = w.denses[l]!.kernel;
      const data =
        l === 0
          ? denseToTfjs(kernel, d.outFeatures, d.inFeatures, lastConv.outChannels)
          : transpose2d(kernel, d.outFeatures, d.inFeatures);
      return {
        kernel: variable(tf, tf.tensor2d(data, [d.inFeatures, d.outFeatures])),
        bias: variable(tf, tf.tensor1d(w.denses[l]!.bias)),
      };
    }),
  };
}

/** The forward pass on NHWC images; `dropoutSeed` null means inference (dropout off). */
function forward(tf: Tf, p: Params, x: tfType.Tensor4D, dropoutSeed: number | null): tfType.Tensor2D {
  const [c1, c2, c3, c4] = p.convs as [Params["convs"][0], Params["convs"][0], Params["convs"][0], Params["convs"][0]];
  const [d1, d2] = p.denses as [Params["denses"][0], Params["denses"][0]];
  const conv = (input: Tensor, c: typeof c1) =>
    tf.add(tf.conv2d(input as tfType.Tensor4D, c.kernel, 1, "same"), c.bias);
  const drop = (t: Tensor, index: number): Tensor =>
    dropoutSeed === null ? t : tf.dropout(t, CNN_DROPOUT[index] ?? 0, undefined, deriveSeed(dropoutSeed, `d${index}`));
  let h: Tensor = tf.relu(conv(x, c1));
  h = drop(tf.relu(tf.maxPool(conv(h, c2) as tfType.Tensor4D, 2, 2, "valid")), 0);
  h = tf.relu(conv(h, c3));
  h = drop(tf.relu(tf.maxPool(conv(h, c4) as tfType.Tensor4D, 2, 2, "valid")), 1);
  const flat = tf.reshape(h, [x.shape[0], -1]);
  const hidden = drop(tf.relu(tf.add(tf.matMul(flat as tfType.Tensor2D, d1.kernel), d1.bias)), 2);
  return tf.add(tf.matMul(hidden as tfType.Tensor2D, d2.kernel), d2.bias);
}

/**
 * Builds the CNN with Glorot-uniform weights from `seed` (identical on every
 * backend) and an SGD-momentum optimizer (lr 0.01, momentum 0.9, no Nesterov).
 * Registers the fast wasm training gradients (idempotent; other backends keep tfjs's own).
 */
export function createCnnTrainer(tf: Tf, seed: number): CnnTrainer {
  registerFastTrainingGradients(tf);
  const params = toVariables(tf, cnnSeededWeights(seed));
  const variables = [...params.convs, ...params.denses].flatMap((l) => [l.kernel, l.bias]);
  const parameterCount = variables.reduce((sum, v) => sum + v.size, 0);
  if (parameterCount !== CNN_PARAMETERS)
    throw new Error(`CNN built with ${parameterCount} parameters, expected ${CNN_PARAMETERS}`);
  const optimizer = tf.train.momentum(CNN_LEARNING_RATE, CNN_MOMENTUM, false);
  const dropoutSeeds = deriveSeed(seed, "dropout");
  let step = 0;

  const inputs = (images: Float32Array, labels: Int32Array, n: number) => {
    const size = CNN_CHANNELS * CNN_IMAGE_SIZE * CNN_IMAGE_SIZE;
    if (images.length < n * size || labels.length < n)
      throw new Error(`batch of ${n} needs ${n * size} pixels and ${n} labels`);
    const nhwc = nchwToNhwc(images.subarray(0, n * size), n, CNN_CHANNELS, CNN_IMAGE_SIZE);
    return {
      x: tf.tensor4d(nhwc, [n, CNN_IMAGE_SIZE, CNN_IMAGE_SIZE, CNN_CHANNELS]),
      y: tf.tensor1d(labels.subarray(0, n), "int32"),
    };
  };

  return {
    parameterCount,
    layout: "NHWC",
    async trainStep(images, labels, n) {
      const { x, y } = inputs(images, labels, n);
      const stepSeed = deriveSeed(dropoutSeeds, String(step++));
      const loss = optimizer.minimize(() => {
        const logits = forward(tf, params, x, stepSeed);
        return tf.losses.softmaxCrossEntropy<tfType.Tensor, tfType.Scalar>(tf.oneHot(y, CNN_CLASSES), logits);
      }, true);
      x.dispose();
      y.dispose();
      if (!loss) throw new Error("the optimizer returned no loss");
      try {
        return (await loss.data())[0] ?? NaN;
      } finally {
        loss.dispose();
      }
    },
    async probeStep(images, labels, n) {
      const { x, y } = inputs(images, labels, n);
      try {
        return await firstStepProbe(
          tf,
          variables,
          () =>
            tf.losses.softmaxCrossEntropy<tfType.Tensor, tfType.Scalar>(
              tf.oneHot(y, CNN_CLASSES),
              forward(tf, params, x, null),
            ),
          optimizer,
        );
      } finally {
        x.dispose();
        y.dispose();
      }
    },
    async evaluate(images, labels, n) {
      const { x, y } = inputs(images, labels, n);
      const correct = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(forward(tf, params, x, null), 1), y), "int32")));
      x.dispose();
      y.dispose();
      try {
        return (await correct.data())[0] ?? 0;
      } finally {
        correct.dispose();
      }
    },
    dispose() {
      variables.forEach((v) => v.dispose());
      optimizer.dispose();
      // tfjs's MomentumOptimizer.dispose skips SGDOptimizer's learning-rate scalar `c` (tfjs 4.22).
      (optimizer as unknown as { c?: tfType.Tensor }).c?.dispose();
    },
  };
}
