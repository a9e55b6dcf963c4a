/**
 * ResNet-50 features in tfjs, from the shared architecture description.
 *
 * Inference only, so each batch norm is folded into its convolution at build
 * time (scale into the kernel, shift into a bias) and run as one fused
 * conv+bias+ReLU kernel: the fastest standard path on every tfjs backend, and the
 * same rewrite onnxruntime's optimizer applies to the ONNX graph.
 * tfjs convolutions are channels-last (NHWC) on the cpu and wasm backends.
 */
import type * as tfType from "@tensorflow/tfjs";
import { BATCH_NORM_EPSILON, type ConvBnSpec, type ConvBnWeights, type ResNetSpec } from "./architecture.js";

type Tf = typeof tfType;

interface FoldedConv {
  spec: ConvBnSpec;
  filter: tfType.Tensor4D;
  bias: tfType.Tensor1D;
}

/** Folds BN into the kernel and converts OIHW to tfjs's HWIO. */
function foldConvBn(tf: Tf, layer: ConvBnSpec, w: ConvBnWeights): FoldedConv {
  const { outChannels: o, inChannels: i, kernel: k } = layer.conv;
  const hwio = new Float32Array(o * i * k * k);
  const bias = new Float32Array(o);
  for (let oc = 0; oc < o; oc++) {
    const s = (w.gamma[oc] ?? 0) / Math.sqrt((w.variance[oc] ?? 0) + BATCH_NORM_EPSILON);
    bias[oc] = (w.beta[oc] ?? 0) - (w.mean[oc] ?? 0) * s;
    for (let ic = 0; ic < i; ic++) {
      for (let y = 0; y < k; y++) {
        for (let x = 0; x < k; x++) {
          const src = ((oc * i + ic) * k + y) * k + x;
          hwio[((y * k + x) * i + ic) * o + oc] = (w.kernel[src] ?? 0) * s;
        }
      }
    }
  }
  return { spec: layer, filter: tf.tensor4d(hwio, [k, k, i, o]), bias: tf.tensor1d(bias) };
}

export interface TfjsResNet {
  /** NHWC images in, [batch, 2048] features out. */
  predict(images: tfType.Tensor4D): tfType.Tensor2D;
  dispose(): void;
}

/** Builds the model's tensors once; `predict` only runs kernels. */
export function resnet50Tfjs(tf: Tf, spec: ResNetSpec, weights: Map<string, ConvBnWeights>): TfjsResNet {
  const folded = new Map<string, FoldedConv>();
  const fold = (layer: ConvBnSpec) => {
    const w = weights.get(layer.conv.name);
    if (!w) throw new Error(`no weights for ${layer.conv.name}`);
    folded.set(layer.conv.name, foldConvBn(tf, layer, w));
  };
  fold(spec.stem);
  for (const block of spec.blocks) {
    block.main.forEach(fold);
    if (block.shortcut) fold(block.shortcut);
  }

  const apply = (layer: ConvBnSpec, x: tfType.Tensor4D): tfType.Tensor4D => {
    const f = folded.get(layer.conv.name);
    if (!f) throw new Error(`no folded weights for ${layer.conv.name}`);
    return tf.fused.conv2d({
      x,
      filter: f.filter,
      bias: f.bias,
      strides: layer.conv.stride,
      // A numeric pad pads both sides equally, like the ONNX/PyTorch model;
      // 'same' would pad stride-2 layers asymmetrically and change the result.
      pad: layer.conv.pad,
      activation: layer.relu ? "relu" : "linear",
    });
  };

  return {
    predict: (images) =>
      tf.tidy(() => {
        let x = apply(spec.stem, images);
        x = tf.maxPool(x, spec.pool.kernel, spec.pool.stride, spec.pool.pad);
        for (const block of spec.blocks) {
          let y = x;
          for (const layer of block.main) y = apply(layer, y);
          const shortcut = block.shortcut ? apply(block.shortcut, x) : x;
          x = tf.relu(tf.add<tfType.Tensor4D>(y, shortcut));
        }
        return tf.mean<tfType.Tensor2D>(x, [1, 2]);
      }),
    dispose: () => {
      for (const f of folded.values()) {
        f.filter.dispose();
        f.bias.dispose();
      }
    },
  };
}

/** NCHW to NHWC for one batch of images. */
export function nchwToNhwc(data: Float32Array, batch: number, channels: number, size: number): Float32Array {
  const out = new Float32Array(data.length);
  const plane = size * size;
  for (let n = 0; n < batch; n++) {
    const base = n * channels * plane;
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < plane; p++) out[base + p * channels + c] = data[base + c * plane + p] ?? 0;
    }
  }
  return out;
}
