/**
 * The tfjs flavours share one model code path; only the backend differs:
 *   tfjs           @tensorflow/tfjs with the wasm backend (SIMD, threaded: see wasm-threads.ts)
 *   tfjs-node      @tensorflow/tfjs-node, the TensorFlow C library on the CPU
 *   tfjs-node-gpu  @tensorflow/tfjs-node-gpu, the TensorFlow C library with CUDA
 */
import type * as TfType from "@tensorflow/tfjs";
import { FRAMEWORKS } from "../../src/core/catalog.js";
import type { Device } from "../../src/core/protocol.js";
import type { ConvBnWeights, ResNetSpec } from "../resnet50/architecture.js";
import { resnet50Tfjs } from "../resnet50/tfjs-model.js";
import {
  FrameworkUnavailableError,
  frameworkRequire,
  importFramework,
  packageVersion,
  type FeatureExtractor,
} from "./types.js";
import { startWasmBackend, type WasmThreadsApi } from "./wasm-threads.js";
import { cudaLibrariesProblem, missingLibraries, TFJS_NODE_GPU_CUDA } from "./cuda-libraries.js";

export const TFJS_FLAVOURS = {
  tfjs: { package: "@tensorflow/tfjs", backend: "wasm" },
  "tfjs-node": { package: "@tensorflow/tfjs-node", backend: "tensorflow" },
  "tfjs-node-gpu": { package: "@tensorflow/tfjs-node-gpu", backend: "tensorflow" },
} as const;
export type TfjsFlavour = keyof typeof TFJS_FLAVOURS;

/**
 * The tfjs flavour a case's framework names, or undefined when it is not a tfjs
 * flavour. A flavour asked to run on a device the catalog does not give it
 * (tfjs-node-gpu on the CPU, tfjs on a GPU) is unavailable, with that reason.
 */
export function tfjsFlavourOf(framework: string, device: Device): TfjsFlavour | undefined {
  if (!Object.hasOwn(TFJS_FLAVOURS, framework)) return undefined;
  const flavour = framework as TfjsFlavour;
  if (!(FRAMEWORKS[flavour].devices as readonly Device[]).includes(device)) {
    throw new FrameworkUnavailableError(`${flavour} does not run on the ${device}`);
  }
  return flavour;
}

/** A loaded tfjs flavour, and for wasm the settings that shape its numbers (threads, SIMD). */
export interface LoadedTf {
  tf: typeof TfType;
  details: Record<string, string | number | boolean>;
}

/**
 * Loads a tfjs flavour and starts its backend. `threads` is the case's intra-op
 * thread count; the wasm backend takes it (up to 8), the TensorFlow backends
 * choose their own. The threads that actually ran are in `details`.
 */
export async function loadTf(flavour: TfjsFlavour, threads: number): Promise<LoadedTf> {
  const { package: pkg, backend } = TFJS_FLAVOURS[flavour];
  if (flavour === "tfjs-node-gpu") {
    // Checked before loading: without these libraries TensorFlow logs a line and runs on the CPU.
    const problem = cudaLibrariesProblem(TFJS_NODE_GPU_CUDA, missingLibraries(TFJS_NODE_GPU_CUDA));
    if (problem) throw new FrameworkUnavailableError(problem);
  }
  // Import with a variable name: the native flavours are optional and absent here.
  const tf = (await importFramework(pkg, () => import(pkg))) as typeof TfType;
  const details: Record<string, string | number | boolean> = {};
  if (flavour === "tfjs") {
    const wasm = (await importFramework(
      "@tensorflow/tfjs-backend-wasm",
      () => import("@tensorflow/tfjs-backend-wasm"),
    )) as WasmThreadsApi;
    const started = await startWasmBackend(tf, wasm, threads, frameworkRequire());
    if (started.threads === 0) throw new FrameworkUnavailableError(`${pkg}: the 'wasm' backend failed to initialise`);
    details.simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
    details.threads = started.threads;
    if (started.problem) details.threadsNote = `one thread: ${started.problem}`;
    return { tf, details };
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new FrameworkUnavailableError(`${pkg}: the '${backend}' backend failed to initialise`);
  await tf.ready();
  if (flavour === "tfjs-node-gpu" && !usesGpu(tf)) {
    throw new FrameworkUnavailableError(
      `${pkg} loaded, but TensorFlow found no usable GPU device (its work would run on the CPU); check the driver and CUDA_VISIBLE_DEVICES`,
    );
  }
  return { tf, details };
}

/** Whether tfjs-node's TensorFlow backend placed itself on a GPU (its kernel backend says so). */
function usesGpu(tf: typeof TfType): boolean {
  const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
  return backend.isUsingGpuDevice === true;
}

export async function tfjsExtractor(
  flavour: TfjsFlavour,
  spec: ResNetSpec,
  weights: Map<string, ConvBnWeights>,
  imageSize: number,
  threads: number,
): Promise<FeatureExtractor> {
  const loaded = await loadTf(flavour, threads);
  const tf = loaded.tf;
  const model = resnet50Tfjs(tf, spec, weights);
  const details = { layout: "NHWC", batchNorm: "folded into conv", ...loaded.details };
  return {
    layout: "NHWC",
    info: { version: packageVersion(TFJS_FLAVOURS[flavour].package), backend: tf.getBackend(), details },
    async infer(images, batch) {
      const x = tf.tensor4d(images, [batch, imageSize, imageSize, 3]);
      const y = model.predict(x);
      try {
        return (await y.data()) as Float32Array;
      } finally {
        x.dispose();
        y.dispose();
      }
    },
    dispose: () => {
      model.dispose();
      return Promise.resolve();
    },
  };
}
