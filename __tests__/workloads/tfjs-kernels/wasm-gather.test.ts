import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { describe, expect, it } from "vitest";
import { registerFastWasmGather } from "../../../workloads/tfjs-kernels/wasm-gather.js";

const INDICES = [
  [4, 0, 4],
  [2, 6, 0],
];

/** Gathers from a [7, 2, 3] table along `axis`, on the current backend. */
async function gathers(dtype: "float32" | "int32"): Promise<number[][]> {
  const table = tf.range(0, 7 * 2 * 3, 1, dtype).reshape([7, 2, 3]);
  const idx = tf.tensor2d(INDICES, [2, 3], "int32");
  const results = [
    tf.gather(table, idx, 0),
    tf.gather(table, tf.tensor1d([1, 0, 1], "int32"), 1),
    tf.gather(table, idx, -3),
  ];
  expect(results[0]!.shape).toEqual([2, 3, 2, 3]);
  const out = await Promise.all(results.map(async (r) => Array.from(await r.data())));
  tf.dispose([table, idx, ...results]);
  return out;
}

describe("the row gather on wasm", () => {
  it.each(["float32", "int32"] as const)(
    "gives the cpu backend's %s gathers (axis 0, -3, and 1 via the fallback)",
    async (dtype) => {
      await tf.setBackend("cpu");
      const reference = await gathers(dtype);
      const own = tf.getKernel("GatherV2", "wasm")?.kernelFunc;
      registerFastWasmGather(tf);
      registerFastWasmGather(tf); // registering twice is harmless
      if (dtype === "float32") expect(tf.getKernel("GatherV2", "wasm")?.kernelFunc).not.toBe(own);
      await tf.setBackend("wasm");
      expect(await gathers(dtype)).toEqual(reference);
      expect(reference[0]!.slice(0, 6)).toEqual([24, 25, 26, 27, 28, 29]); // row 4 first
    },
  );

  it("refuses an index outside the table, as the backend's own kernel does", async () => {
    registerFastWasmGather(tf);
    await tf.setBackend("wasm");
    const table = tf.zeros([3, 2]);
    expect(() => tf.gather(table, tf.tensor1d([0, 3], "int32"))).toThrow(/index value 3 is not in \[0, 2\]/);
    table.dispose();
  });
});
