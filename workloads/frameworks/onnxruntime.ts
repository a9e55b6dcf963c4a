/**
 * onnxruntime-node: the CPU execution provider here, CUDA on a GPU runner, with
 * all graph optimisations on (which folds batch norm into the convolutions).
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as OrtType from "onnxruntime-node";
import type { Device } from "../../src/core/protocol.js";
import { INPUT_NAME, OUTPUT_NAME } from "../resnet50/onnx-graph.js";
import { FrameworkUnavailableError, importFramework, packageVersion, type FeatureExtractor } from "./types.js";
import { nodePlacement } from "./ort-placement.js";

const PACKAGE = "onnxruntime-node";

export async function onnxruntimeExtractor(
  model: Uint8Array,
  imageSize: number,
  device: Device,
  threads: number,
): Promise<FeatureExtractor> {
  const ort = await importFramework(PACKAGE, () => import(PACKAGE) as Promise<typeof OrtType>);
  const provider = device === "gpu" ? "cuda" : "cpu";
  let session: OrtType.InferenceSession;
  // The session profiles its first pass (the untimed one) to prove where its nodes ran; then profiling stops.
  const profileDir = await mkdtemp(join(tmpdir(), "rosetta-bench-ort-"));
  try {
    session = await ort.InferenceSession.create(model, {
      executionProviders: [provider],
      graphOptimizationLevel: "all",
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: "sequential",
      enableProfiling: true,
      profileFilePrefix: join(profileDir, "placement"),
    });
  } catch (err) {
    await rm(profileDir, { recursive: true, force: true });
    // A missing CUDA provider (installed with ONNXRUNTIME_NODE_INSTALL=skip, or no
    // GPU) is an environment fact, not a benchmark failure.
    if (device === "gpu") throw new FrameworkUnavailableError(`CUDA execution provider unavailable: ${String(err)}`);
    throw err;
  }
  return {
    layout: "NCHW",
    info: {
      version: packageVersion(PACKAGE),
      backend: device === "gpu" ? "CUDAExecutionProvider" : "CPUExecutionProvider",
      details: { layout: "NCHW", intraOpThreads: threads, graphOptimization: "all" },
    },
    async infer(images, batch) {
      const input = new ort.Tensor("float32", images, [batch, 3, imageSize, imageSize]);
      const output = await session.run({ [INPUT_NAME]: input });
      const features = output[OUTPUT_NAME];
      if (!features) throw new Error(`onnxruntime returned no '${OUTPUT_NAME}' output`);
      const data = features.data;
      if (!(data instanceof Float32Array)) throw new Error("onnxruntime returned non-float32 features");
      return data;
    },
    async proveDevice() {
      try {
        session.endProfiling();
        const [file] = (await readdir(profileDir)).filter((f) => f.endsWith(".json"));
        if (!file) throw new Error("onnxruntime wrote no profile");
        const expected = device === "gpu" ? "CUDAExecutionProvider" : "CPUExecutionProvider";
        const placement = nodePlacement(JSON.parse(await readFile(join(profileDir, file), "utf8")), expected);
        if (placement.elsewhere.length) {
          const some = placement.elsewhere.slice(0, 5).join(", ");
          const more = placement.elsewhere.length > 5 ? ` and ${placement.elsewhere.length - 5} more` : "";
          throw new FrameworkUnavailableError(
            `onnxruntime ran ${placement.elsewhere.length} of the model's nodes off ${expected} (${some}${more}): ${placement.summary}; no figure reported`,
          );
        }
        return placement.summary;
      } finally {
        await rm(profileDir, { recursive: true, force: true });
      }
    },
    dispose: async () => {
      await rm(profileDir, { recursive: true, force: true });
      await session.release();
    },
  };
}
