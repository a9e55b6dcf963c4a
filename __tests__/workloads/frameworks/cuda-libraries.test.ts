import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  cudaLibrariesProblem,
  missingLibraries,
  TFJS_NODE_GPU_CUDA,
} from "../../../workloads/frameworks/cuda-libraries.js";
import { tempDir } from "../../helpers.js";

describe("the CUDA libraries tfjs-node-gpu needs", () => {
  it("are found in the loader cache or on LD_LIBRARY_PATH, and the missing ones are named with the version", async () => {
    const dir = await tempDir();
    for (const lib of ["libcudart.so.11.0", "libcublas.so.11", "libcublasLt.so.11"])
      await writeFile(join(dir, lib), "");
    const cache = new Set(["libcufft.so.10", "libcurand.so.10", "libcusolver.so.11", "libcudnn.so.9"]);
    const missing = missingLibraries(TFJS_NODE_GPU_CUDA, { LD_LIBRARY_PATH: `/nowhere:${dir}` }, cache);
    expect(missing).toEqual(["libcusparse.so.11", "libcudnn.so.8"]);
    expect(cudaLibrariesProblem(TFJS_NODE_GPU_CUDA, missing)).toBe(
      "tfjs-node-gpu (libtensorflow 2.9.1) needs CUDA 11.2 and cuDNN 8.1; not found: libcusparse.so.11, libcudnn.so.8 " +
        "(searched the loader cache and LD_LIBRARY_PATH). Without them TensorFlow would run on the CPU.",
    );
    const all = new Set([...TFJS_NODE_GPU_CUDA.libraries]);
    expect(missingLibraries(TFJS_NODE_GPU_CUDA, {}, all)).toEqual([]);
    expect(cudaLibrariesProblem(TFJS_NODE_GPU_CUDA, [])).toBeUndefined();
  });
});
