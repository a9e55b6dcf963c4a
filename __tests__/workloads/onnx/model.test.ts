import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { encodeModel } from "../../../workloads/onnx/model.js";
import { MessageWriter } from "../../../workloads/onnx/protobuf.js";

describe("protobuf writer", () => {
  it("encodes varints as the wire format specifies", () => {
    expect([...new MessageWriter().int(1, 150).finish()]).toEqual([0x08, 0x96, 0x01]);
    expect([...new MessageWriter().int(2, 300).finish()]).toEqual([0x10, 0xac, 0x02]);
    // A negative int64 takes ten bytes (two's complement, 64 bits).
    expect(new MessageWriter().int(1, -1).finish()).toHaveLength(11);
  });

  it("length-prefixes strings and nested messages", () => {
    expect([...new MessageWriter().string(2, "testing").finish()]).toEqual([
      0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67,
    ]);
    const inner = new MessageWriter().int(1, 150);
    expect([...new MessageWriter().message(3, inner).finish()]).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
  });
});

describe("ONNX model encoding, loaded by onnxruntime", () => {
  it("runs a written Conv → BatchNormalization → Relu graph to the values computed by hand", async () => {
    // 1 input channel 3×3, one 2×2 filter of ones, no padding: each output is a 2×2 window sum.
    const bytes = encodeModel(
      {
        name: "tiny",
        nodes: [
          { op: "Conv", inputs: ["x", "w"], outputs: ["c"], attributes: { kernel_shape: [2, 2], pads: [0, 0, 0, 0] } },
          {
            op: "BatchNormalization",
            inputs: ["c", "gamma", "beta", "mean", "var"],
            outputs: ["b"],
            attributes: { epsilon: { float: 0 } },
          },
          { op: "Relu", inputs: ["b"], outputs: ["y"] },
        ],
        initializers: [
          { name: "w", dims: [1, 1, 2, 2], data: new Float32Array([1, 1, 1, 1]) },
          { name: "gamma", dims: [1], data: new Float32Array([2]) },
          { name: "beta", dims: [1], data: new Float32Array([-20]) },
          { name: "mean", dims: [1], data: new Float32Array([0]) },
          { name: "var", dims: [1], data: new Float32Array([1]) },
        ],
        inputs: [{ name: "x", dims: ["n", 1, 3, 3] }],
        outputs: [{ name: "y", dims: ["n", 1, 2, 2] }],
      },
      "test",
    );
    const session = await ort.InferenceSession.create(bytes);
    const x = new ort.Tensor("float32", Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 1, 3, 3]);
    const { y } = await session.run({ x });
    // Window sums 12, 16, 24, 28 → 2·s − 20 → 4, 12, 28, 36.
    expect(Array.from(y?.data as Float32Array)).toEqual([4, 12, 28, 36]);
    expect(y?.dims).toEqual([1, 1, 2, 2]);
    await session.release();
  });

  it("rejects an initializer whose data does not fill its dims", () => {
    expect(() =>
      encodeModel(
        {
          name: "bad",
          nodes: [],
          initializers: [{ name: "w", dims: [2, 2], data: new Float32Array(3) }],
          inputs: [],
          outputs: [],
        },
        "test",
      ),
    ).toThrow("ONNX initializer w: dims [2, 2] need 4 values, got 3");
  });
});
