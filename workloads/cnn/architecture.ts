/**
 * The `cnn-cifar10` model of docs/workloads.md §1, described without any framework:
 * the layer table (`rosetta-bench describe`) and seeded Glorot-uniform weights.
 *
 * Weights are drawn in PyTorch's layouts (conv OIHW, dense [out, in] with the
 * flatten in C×H×W order) so that any framework, whatever its layout, can be
 * given the very same model; each framework converts them once at build time.
 */
import { deriveSeed, SeededRandom } from "../rng.js";

/** The reference model's parameter count (docs/workloads.md §1). */
export const CNN_PARAMETERS = 3_441_592;
export const CNN_CLASSES = 10;
export const CNN_IMAGE_SIZE = 32;
export const CNN_CHANNELS = 3;
/** SGD with classical momentum, no Nesterov, no weight decay (the reference's settings). */
export const CNN_LEARNING_RATE = 0.01;
export const CNN_MOMENTUM = 0.9;
/** Dropout rates after pool 1, pool 2 and the hidden dense layer, training only. */
export const CNN_DROPOUT = [0.25, 0.25, 0.5] as const;

import type { LayerRow } from "../layer-row.js";

export type { LayerRow };

export interface ConvSpec {
  name: string;
  inChannels: number;
  outChannels: number;
  kernel: number;
}
export interface DenseSpec {
  name: string;
  inFeatures: number;
  outFeatures: number;
}

export const CNN_CONVS: readonly ConvSpec[] = [
  { name: "conv1", inChannels: 3, outChannels: 50, kernel: 3 },
  { name: "conv2", inChannels: 50, outChannels: 50, kernel: 3 },
  { name: "conv3", inChannels: 50, outChannels: 100, kernel: 3 },
  { name: "conv4", inChannels: 100, outChannels: 100, kernel: 3 },
];
export const CNN_DENSES: readonly DenseSpec[] = [
  { name: "dense1", inFeatures: 100 * 8 * 8, outFeatures: 512 },
  { name: "dense2", inFeatures: 512, outFeatures: CNN_CLASSES },
];

const convParams = (c: ConvSpec) => c.outChannels * c.inChannels * c.kernel * c.kernel + c.outChannels;
const denseParams = (d: DenseSpec) => d.outFeatures * d.inFeatures + d.outFeatures;

/** The layer table of docs/workloads.md §1; pure, and its parameters sum to {@link CNN_PARAMETERS}. */
export function cnnLayerTable(): LayerRow[] {
  const [c1, c2, c3, c4] = CNN_CONVS as [ConvSpec, ConvSpec, ConvSpec, ConvSpec];
  const [d1, d2] = CNN_DENSES as [DenseSpec, DenseSpec];
  const conv = (c: ConvSpec, size: number): LayerRow => ({
    name: c.name,
    kind: "Conv2D",
    output: `${c.outChannels}×${size}×${size}`,
    parameters: convParams(c),
    settings: `${c.outChannels} filters, ${c.kernel}×${c.kernel}, stride 1, padding 1 (same), ReLU`,
  });
  const pool = (name: string, channels: number, size: number): LayerRow => ({
    name,
    kind: "MaxPool2D",
    output: `${channels}×${size}×${size}`,
    parameters: 0,
    settings: "2×2, stride 2",
  });
  const dropout = (name: string, rate: number, output: string): LayerRow => ({
    name,
    kind: "Dropout",
    output,
    parameters: 0,
    settings: `rate ${rate}, training only`,
  });
  const [r1, r2, r3] = CNN_DROPOUT;
  return [
    conv(c1, 32),
    conv(c2, 32),
    pool("pool1", 50, 16),
    dropout("dropout1", r1, "50×16×16"),
    conv(c3, 16),
    conv(c4, 16),
    pool("pool2", 100, 8),
    dropout("dropout2", r2, "100×8×8"),
    {
      name: "flatten",
      kind: "Flatten",
      output: `${d1.inFeatures}`,
      parameters: 0,
      settings: "C×H×W order (NHWC models permute the dense weights to match)",
    },
    { name: d1.name, kind: "Dense", output: `${d1.outFeatures}`, parameters: denseParams(d1), settings: "ReLU" },
    dropout("dropout3", r3, `${d1.outFeatures}`),
    {
      name: d2.name,
      kind: "Dense",
      output: `${d2.outFeatures}`,
      parameters: denseParams(d2),
      settings: "logits; softmax cross-entropy in the loss",
    },
  ];
}

/** Seeded weights in PyTorch layouts: conv kernels OIHW, dense kernels [out, in]; biases zero. */
export interface CnnWeights {
  convs: { kernel: Float32Array; bias: Float32Array }[];
  denses: { kernel: Float32Array; bias: Float32Array }[];
}

/** Glorot/Xavier uniform: U(±sqrt(6 / (fanIn + fanOut))), Keras's default, as the reference used. */
function glorot(seed: number, name: string, size: number, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return new SeededRandom(deriveSeed(seed, name)).fillUniform(new Float32Array(size), -limit, limit);
}

/** The model's initial weights from a seed: identical for every framework and backend. */
export function cnnSeededWeights(seed: number): CnnWeights {
  return {
    convs: CNN_CONVS.map((c) => {
      const area = c.kernel * c.kernel;
      const size = c.outChannels * c.inChannels * area;
      return {
        kernel: glorot(seed, c.name, size, c.inChannels * area, c.outChannels * area),
        bias: new Float32Array(c.outChannels),
      };
    }),
    denses: CNN_DENSES.map((d) => ({
      kernel: glorot(seed, d.name, d.outFeatures * d.inFeatures, d.inFeatures, d.outFeatures),
      bias: new Float32Array(d.outFeatures),
    })),
  };
}
