import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { describe, expect, it } from "vitest";
import { registerFastWasmSlice } from "../../../workloads/tfjs-kernels/wasm-slice.js";

const CASES: [string, number[], number[]][] = [
  ["one leading-axis block (contiguous)", [2, 0, 0], [1, 4, 6]],
  ["several leading rows (contiguous)", [1, 0, 0], [3, 4, 6]],
  ["a single row tail (contiguous)", [3, 2, 1], [1, 1, 5]],
  ["a column band (strided)", [0, 1, 2], [5, 2, 3]],
];

async function slices(dtype: "float32" | "int32"): Promise<number[][]> {
  const x = tf.range(0, 5 * 4 * 6, 1, dtype).reshape([5, 4, 6]);
  const out = await Promise.all(
    CASES.map(async ([, begin, size]) => Array.from(await tf.slice(x, begin, size).data())),
  );
  x.dispose();
  return out;
}

describe("the contiguous wasm Slice", () => {
  it.each(["float32", "int32"] as const)("gives the cpu backend's %s slices", async (dtype) => {
    await tf.setBackend("cpu");
    const reference = await slices(dtype);
    const own = tf.getKernel("Slice", "wasm")?.kernelFunc;
    registerFastWasmSlice(tf);
    registerFastWasmSlice(tf); // registering twice is harmless
    expect(tf.getKernel("Slice", "wasm")?.kernelFunc).toBeDefined();
    if (dtype === "float32") expect(tf.getKernel("Slice", "wasm")?.kernelFunc).not.toBe(own);
    await tf.setBackend("wasm");
    expect(await slices(dtype)).toEqual(reference);
    expect(reference[0]).toHaveLength(24);
    expect(reference[0]![0]).toBe(48); // row 2 of a 4×6 block starts at 2·24
  });
});
