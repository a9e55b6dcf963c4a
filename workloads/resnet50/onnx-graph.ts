/**
 * ResNet-50 features as an ONNX graph, written from the shared architecture
 * description. Batch norm stays a node of its own: onnxruntime's graph
 * optimizer folds it into the convolution, as it would for an exported model.
 */
import { encodeModel, type OnnxGraph, type OnnxNode, type OnnxInitializer } from "../onnx/model.js";
import {
  BATCH_NORM_EPSILON,
  FEATURE_SIZE,
  type ConvBnSpec,
  type ConvBnWeights,
  type ResNetSpec,
} from "./architecture.js";

export const INPUT_NAME = "images";
export const OUTPUT_NAME = "features";

/** Builds the ONNX model bytes for input images of `size`×`size` (NCHW, batch symbolic). */
export function resnet50Onnx(spec: ResNetSpec, weights: Map<string, ConvBnWeights>, size: number): Uint8Array {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [];

  const convBn = (layer: ConvBnSpec, input: string): string => {
    const { conv } = layer;
    const w = weights.get(conv.name);
    if (!w) throw new Error(`no weights for ${conv.name}`);
    const k = conv.kernel;
    initializers.push(
      { name: `${conv.name}.weight`, dims: [conv.outChannels, conv.inChannels, k, k], data: w.kernel },
      { name: `${conv.name}.bn.scale`, dims: [conv.outChannels], data: w.gamma },
      { name: `${conv.name}.bn.bias`, dims: [conv.outChannels], data: w.beta },
      { name: `${conv.name}.bn.mean`, dims: [conv.outChannels], data: w.mean },
      { name: `${conv.name}.bn.var`, dims: [conv.outChannels], data: w.variance },
    );
    nodes.push({
      op: "Conv",
      name: conv.name,
      inputs: [input, `${conv.name}.weight`],
      outputs: [`${conv.name}.out`],
      attributes: {
        kernel_shape: [k, k],
        strides: [conv.stride, conv.stride],
        pads: [conv.pad, conv.pad, conv.pad, conv.pad],
      },
    });
    nodes.push({
      op: "BatchNormalization",
      name: `${conv.name}.bn`,
      inputs: [`${conv.name}.out`, ...["scale", "bias", "mean", "var"].map((p) => `${conv.name}.bn.${p}`)],
      outputs: [`${conv.name}.bn.out`],
      attributes: { epsilon: { float: BATCH_NORM_EPSILON } },
    });
    if (!layer.relu) return `${conv.name}.bn.out`;
    nodes.push({ op: "Relu", inputs: [`${conv.name}.bn.out`], outputs: [`${conv.name}.relu`] });
    return `${conv.name}.relu`;
  };

  let x = convBn(spec.stem, INPUT_NAME);
  const { kernel, stride, pad } = spec.pool;
  nodes.push({
    op: "MaxPool",
    name: "maxpool",
    inputs: [x],
    outputs: ["maxpool.out"],
    attributes: { kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad] },
  });
  x = "maxpool.out";

  for (const block of spec.blocks) {
    let y = x;
    for (const layer of block.main) y = convBn(layer, y);
    const shortcut = block.shortcut ? convBn(block.shortcut, x) : x;
    nodes.push({ op: "Add", inputs: [y, shortcut], outputs: [`${block.name}.add`] });
    nodes.push({ op: "Relu", inputs: [`${block.name}.add`], outputs: [`${block.name}.out`] });
    x = `${block.name}.out`;
  }

  nodes.push({ op: "GlobalAveragePool", name: "avgpool", inputs: [x], outputs: ["avgpool.out"] });
  nodes.push({ op: "Flatten", inputs: ["avgpool.out"], outputs: [OUTPUT_NAME], attributes: { axis: 1 } });

  const graph: OnnxGraph = {
    name: "resnet50-features",
    nodes,
    initializers,
    inputs: [{ name: INPUT_NAME, dims: ["batch", 3, size, size] }],
    outputs: [{ name: OUTPUT_NAME, dims: ["batch", FEATURE_SIZE] }],
  };
  return encodeModel(graph, "rosetta-bench");
}
