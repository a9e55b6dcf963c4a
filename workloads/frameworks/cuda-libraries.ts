/**
 * The CUDA libraries a native framework build needs, found (or not) the way
 * the dynamic loader would: its cache (`ldconfig -p`) and LD_LIBRARY_PATH.
 * A missing library is named with the version the build requires, before the
 * framework gets the chance to fall back to the CPU without a word.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface CudaRequirement {
  /** What needs them, for messages: "tfjs-node-gpu 4.22 (libtensorflow 2.9.1)". */
  needs: string;
  /** The CUDA and cuDNN versions, for messages: "CUDA 11.2 and cuDNN 8.1". */
  versions: string;
  /** Shared-object names, as the loader looks them up. */
  libraries: readonly string[];
}

/** libtensorflow 2.9.1, which @tensorflow/tfjs-node-gpu 4.x loads, is built against CUDA 11.2 and cuDNN 8.1. */
export const TFJS_NODE_GPU_CUDA: CudaRequirement = {
  needs: "tfjs-node-gpu (libtensorflow 2.9.1)",
  versions: "CUDA 11.2 and cuDNN 8.1",
  libraries: [
    "libcudart.so.11.0",
    "libcublas.so.11",
    "libcublasLt.so.11",
    "libcufft.so.10",
    "libcurand.so.10",
    "libcusolver.so.11",
    "libcusparse.so.11",
    "libcudnn.so.8",
  ],
};

/** Library names the loader's cache knows. */
function loaderCache(): Set<string> {
  try {
    const out = execFileSync("ldconfig", ["-p"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return new Set([...out.matchAll(/^\s*(\S+)\s+\(/gm)].map((m) => m[1]!));
  } catch {
    return new Set();
  }
}

/** The libraries of `requirement` the loader would not find. */
export function missingLibraries(
  requirement: CudaRequirement,
  env: NodeJS.ProcessEnv = process.env,
  cache: ReadonlySet<string> = loaderCache(),
): string[] {
  const dirs = (env.LD_LIBRARY_PATH ?? "").split(":").filter(Boolean);
  return requirement.libraries.filter((lib) => !cache.has(lib) && !dirs.some((d) => existsSync(join(d, lib))));
}

/** A one-line reason naming what is missing, or undefined when everything is there. */
export function cudaLibrariesProblem(requirement: CudaRequirement, missing: readonly string[]): string | undefined {
  if (!missing.length) return undefined;
  return (
    `${requirement.needs} needs ${requirement.versions}; not found: ${missing.join(", ")} ` +
    `(searched the loader cache and LD_LIBRARY_PATH). Without them TensorFlow would run on the CPU.`
  );
}
