/**
 * ResNet-50 up to the global average pool (docs/workloads.md §3), described once as
 * data. The tfjs model and the ONNX graph are both built from this description
 * and from the same seeded weights, so their features can be compared.
 *
 * Layout follows torchvision's ResNet-50 (v1.5: the stride of a downsampling
 * bottleneck sits on its 3×3 convolution; convolutions have no bias; batch norm
 * has a scale and a shift). That gives the 23,508,032 trainable parameters the
 * reference quotes; batch-norm running statistics are buffers, not parameters.
 */
import { SeededRandom, deriveSeed } from "../rng.js";

export const BATCH_NORM_EPSILON = 1e-5;
export const FEATURE_SIZE = 2048;
/** Trainable parameters up to the pool, as the reference quotes them. */
export const RESNET50_TRAINABLE_PARAMETERS = 23_508_032;

export interface ConvSpec {
  kind: "conv";
  name: string;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  pad: number;
}

/** A convolution followed by batch norm, with or without a ReLU after. */
export interface ConvBnSpec {
  conv: ConvSpec;
  relu: boolean;
}

export interface BottleneckSpec {
  name: string;
  main: [ConvBnSpec, ConvBnSpec, ConvBnSpec];
  /** Projection shortcut (1×1 conv + BN) where the shape changes. */
  shortcut?: ConvBnSpec;
}

export interface ResNetSpec {
  stem: ConvBnSpec;
  /** Max pool after the stem: kernel 3, stride 2, pad 1. */
  pool: { kernel: number; stride: number; pad: number };
  blocks: BottleneckSpec[];
}

function convBn(
  name: string,
  inChannels: number,
  outChannels: number,
  kernel: number,
  stride: number,
  relu: boolean,
): ConvBnSpec {
  const pad = (kernel - 1) / 2;
  return { conv: { kind: "conv", name, inChannels, outChannels, kernel, stride, pad }, relu };
}

/** Stages of ResNet-50: [bottleneck width, blocks, first stride]. */
const STAGES: ReadonlyArray<readonly [number, number, number]> = [
  [64, 3, 1],
  [128, 4, 2],
  [256, 6, 2],
  [512, 3, 2],
];
const EXPANSION = 4;

/** The architecture of ResNet-50 without its classifier. */
export function resnet50Spec(): ResNetSpec {
  const blocks: BottleneckSpec[] = [];
  let channels = 64;
  STAGES.forEach(([width, count, firstStride], s) => {
    for (let b = 0; b < count; b++) {
      const name = `layer${s + 1}.${b}`;
      const stride = b === 0 ? firstStride : 1;
      const out = width * EXPANSION;
      const block: BottleneckSpec = {
        name,
        main: [
          convBn(`${name}.conv1`, channels, width, 1, 1, true),
          convBn(`${name}.conv2`, width, width, 3, stride, true),
          convBn(`${name}.conv3`, width, out, 1, 1, false),
        ],
      };
      if (stride !== 1 || channels !== out) {
        block.shortcut = convBn(`${name}.downsample`, channels, out, 1, stride, false);
      }
      blocks.push(block);
      channels = out;
    }
  });
  return {
    stem: convBn("conv1", 3, 64, 7, 2, true),
    pool: { kernel: 3, stride: 2, pad: 1 },
    blocks,
  };
}

/** Every conv+BN of the network in execution order. */
export function allConvBns(spec: ResNetSpec): ConvBnSpec[] {
  const list = [spec.stem];
  for (const block of spec.blocks) {
    list.push(...block.main);
    if (block.shortcut) list.push(block.shortcut);
  }
  return list;
}

/** Trainable parameters: conv weights plus batch-norm scale and shift. */
export function countParameters(spec: ResNetSpec): number {
  let total = 0;
  for (const { conv } of allConvBns(spec)) {
    total += conv.outChannels * conv.inChannels * conv.kernel * conv.kernel;
    total += 2 * conv.outChannels;
  }
  return total;
}

/** Seeded weights of one conv+BN: the convolution kernel in OIHW order and the BN vectors. */
export interface ConvBnWeights {
  /** [out, in, kh, kw], row-major. */
  kernel: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
}

/**
 * Builds seeded weights for every conv+BN, keyed by conv name. He-uniform kernels
 * and batch-norm statistics near identity keep activations in a sane range over
 * the 50 layers, so the cross-framework comparison compares meaningful numbers.
 * The last BN of each residual branch is damped so the residual sum does not grow
 * without bound (the same idea as zero-initialising it, without zeroing the branch).
 */
export function seededWeights(spec: ResNetSpec, seed: number): Map<string, ConvBnWeights> {
  const weights = new Map<string, ConvBnWeights>();
  const lastInBranch = new Set(spec.blocks.map((b) => b.main[2].conv.name));
  for (const { conv } of allConvBns(spec)) {
    const rng = new SeededRandom(deriveSeed(seed, conv.name));
    const fanIn = conv.inChannels * conv.kernel * conv.kernel;
    const limit = Math.sqrt(6 / fanIn);
    const n = conv.outChannels;
    const kernel = rng.fillUniform(new Float32Array(n * fanIn), -limit, limit);
    const scale = lastInBranch.has(conv.name) ? 0.2 : 1;
    weights.set(conv.name, {
      kernel,
      gamma: rng.fillUniform(new Float32Array(n), 0.8 * scale, 1.2 * scale),
      beta: rng.fillUniform(new Float32Array(n), -0.1, 0.1),
      mean: rng.fillUniform(new Float32Array(n), -0.1, 0.1),
      variance: rng.fillUniform(new Float32Array(n), 0.8, 1.2),
    });
  }
  return weights;
}

/** Fake input batches (uniform [0,1), NCHW), seeded per batch index. */
export function seededImages(seed: number, batch: number, size: number, index: number): Float32Array {
  const rng = new SeededRandom(deriveSeed(seed, `images/${index}`));
  return rng.fillUniform(new Float32Array(batch * 3 * size * size));
}
