import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { describe, expect, it } from "vitest";
import { registerFastWasmSlice } from "../../../workloads/tfjs-kernels/wasm-slice.js";

const CASES: [string, number[], number[]][] = [
  ["one leading-axis block (contiguous)", [2, 0, 0], [1, 4, 6]],
  ["several leading rows (contiguous)", [1, 0, 0], [3, 4, 6]],
  ["a single row tail (contiguous)", [3, 2, 1], [1, 1, 5]],
  ["a column band (strided)", [0, 1, 2], [5, 2, 3]],
  ["a middle block of every row (strided, inner axis whole)", [1, 1, 0], [3, 2, 6]],
  ["one element", [4, 3, 5], [1, 1, 1]],
];

/** The filter gradient's im2col bands: every row of a wide matrix, shifted by a column offset. */
const BANDS: [number[], number[]][] = [
  [
    [0, 0],
    [7, 30],
  ],
  [
    [0, 9],
    [7, 30],
  ],
  [
    [2, 5],
    [3, 1],
  ],
];

async function slices(dtype: "float32" | "int32"): Promise<number[][]> {
  const x = tf.range(0, 5 * 4 * 6, 1, dtype).reshape([5, 4, 6]);
  const m = tf.range(0, 7 * 39, 1, dtype).reshape([7, 39]);
  const x4 = tf.range(0, 2 * 3 * 4 * 5, 1, dtype).reshape([2, 3, 4, 5]);
  const out = await Promise.all([
    ...CASES.map(async ([, begin, size]) => Array.from(await tf.slice(x, begin, size).data())),
    ...BANDS.map(async ([begin, size]) => Array.from(await tf.slice(m, begin, size).data())),
    tf
      .slice(x4, [1, 0, 1, 2], [1, 3, 2, 3])
      .data()
      .then((v) => Array.from(v)),
  ]);
  tf.dispose([x, m, x4]);
  return out;
}

describe("the fast wasm Slice", () => {
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
    expect(reference[CASES.length + 1]!.slice(0, 2)).toEqual([9, 10]); // band at column 9 of row 0
    expect(reference[CASES.length + 1]![30]).toBe(39 + 9); // then row 1
  });
});
