/**
 * A small ONNX graph builder over the protobuf writer. Field numbers are those of
 * onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
 */
import { MessageWriter } from "./protobuf.js";

/** IR version 8 goes with opset 17, which has every operator used here. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

const TENSOR_FLOAT = 1;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

export type AttributeValue = number | readonly number[] | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: Record<string, AttributeValue>;
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  data: Float32Array;
}

/** A tensor input or output; a string dimension is symbolic (the batch, say). */
export interface OnnxValue {
  name: string;
  dims: Array<number | string>;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
}

function attribute(name: string, value: AttributeValue): MessageWriter {
  const a = new MessageWriter().string(1, name);
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error(`ONNX attribute ${name}: ${value} is not an integer`);
    return a.int(3, value).int(20, ATTRIBUTE_INT);
  }
  if ("float" in value) {
    const bytes = new Uint8Array(new Float32Array([value.float]).buffer);
    // AttributeProto.f is field 2, wire type 5 (32-bit).
    a.chunks.push(Uint8Array.of((2 << 3) | 5), bytes);
    return a.int(20, ATTRIBUTE_FLOAT);
  }
  return a.packedInts(8, value).int(20, ATTRIBUTE_INTS);
}

function node(n: OnnxNode): MessageWriter {
  const w = new MessageWriter();
  for (const input of n.inputs) w.string(1, input);
  for (const output of n.outputs) w.string(2, output);
  if (n.name) w.string(3, n.name);
  w.string(4, n.op);
  for (const [name, value] of Object.entries(n.attributes ?? {})) w.message(5, attribute(name, value));
  return w;
}

function initializer(t: OnnxInitializer): MessageWriter {
  const expected = t.dims.reduce((a, b) => a * b, 1);
  if (expected !== t.data.length) {
    throw new Error(
      `ONNX initializer ${t.name}: dims [${t.dims.join(", ")}] need ${expected} values, got ${t.data.length}`,
    );
  }
  const w = new MessageWriter().packedInts(1, t.dims).int(2, TENSOR_FLOAT).string(8, t.name);
  // raw_data is little-endian; every platform Node runs on here is little-endian.
  return w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

function valueInfo(v: OnnxValue): MessageWriter {
  const shape = new MessageWriter();
  for (const d of v.dims) {
    shape.message(1, typeof d === "number" ? new MessageWriter().int(1, d) : new MessageWriter().string(2, d));
  }
  const tensorType = new MessageWriter().int(1, TENSOR_FLOAT).message(2, shape);
  return new MessageWriter().string(1, v.name).message(2, new MessageWriter().message(1, tensorType));
}

/** Encodes a graph as a complete ONNX ModelProto. */
export function encodeModel(graph: OnnxGraph, producer: string): Uint8Array {
  const g = new MessageWriter();
  for (const n of graph.nodes) g.message(1, node(n));
  g.string(2, graph.name);
  for (const t of graph.initializers) g.message(5, initializer(t));
  for (const v of graph.inputs) g.message(11, valueInfo(v));
  for (const v of graph.outputs) g.message(12, valueInfo(v));
  return new MessageWriter()
    .int(1, ONNX_IR_VERSION)
    .string(2, producer)
    .message(7, g)
    .message(8, new MessageWriter().string(1, "").int(2, ONNX_OPSET))
    .finish();
}
