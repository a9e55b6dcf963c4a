/** A resnet50-features case: build the extractor of the case's framework, time it, report. */
import type { FeatureCaseSpec, ResultMessage } from "../../src/core/protocol.js";
import { onnxruntimeExtractor } from "../frameworks/onnxruntime.js";
import { tfjsExtractor, tfjsFlavourOf } from "../frameworks/tfjs.js";
import { FrameworkUnavailableError, type FeatureExtractor } from "../frameworks/types.js";
import type { Emit } from "../protocol-writer.js";
import { countParameters, resnet50Spec, seededWeights } from "./architecture.js";
import { resnet50Onnx } from "./onnx-graph.js";
import { runFeatureExtraction } from "./run.js";

/** Seed of the model weights: fixed, so every framework and every run builds the same model. */
export const WEIGHTS_SEED = 20171208;

async function createExtractor(spec: FeatureCaseSpec, emit: Emit): Promise<FeatureExtractor> {
  const arch = resnet50Spec();
  emit({ type: "progress", phase: "build", done: 0, total: 1, message: "seeding weights" });
  const weights = seededWeights(arch, WEIGHTS_SEED);
  const size = spec.params.imageSize;
  if (spec.framework === "onnxruntime-node") {
    return onnxruntimeExtractor(resnet50Onnx(arch, weights, size), size, spec.device, spec.threads);
  }
  const flavour = tfjsFlavourOf(spec.framework, spec.device);
  if (flavour) return tfjsExtractor(flavour, arch, weights, size, spec.threads);
  throw new FrameworkUnavailableError(`this worker has no framework '${spec.framework}'`);
}

export async function runFeatureCase(spec: FeatureCaseSpec, emit: Emit): Promise<ResultMessage> {
  const extractor = await createExtractor(spec, emit);
  emit({ type: "progress", phase: "build", done: 1, total: 1 });
  const run = await runFeatureExtraction(spec, extractor, emit);
  await extractor.dispose();
  return {
    type: "result",
    framework: run.placement
      ? { ...extractor.info, details: { ...extractor.info.details, placement: run.placement } }
      : extractor.info,
    parameterCount: countParameters(resnet50Spec()),
    metrics: run.metrics,
    probe: run.probe,
  };
}
