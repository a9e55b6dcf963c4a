/**
 * The worker a case runs in: reads one case spec from stdin, runs it, and speaks
 * the protocol (src/protocol.ts) on stdout. One process per case, so a crash, a
 * leak or a hung kernel costs one case, never the run.
 */
import { caseSpecSchema, type CaseSpec } from "../src/protocol.js";
import { protectStdout, type Emit } from "./protocol-writer.js";
import { countParameters, resnet50Spec, seededWeights } from "./resnet50/architecture.js";
import { resnet50Onnx } from "./resnet50/onnx-graph.js";
import { runFeatureExtraction } from "./resnet50/run.js";
import { onnxruntimeExtractor } from "./frameworks/onnxruntime.js";
import { TFJS_FLAVOURS, tfjsExtractor, type TfjsFlavour } from "./frameworks/tfjs.js";
import { FrameworkUnavailableError, type FeatureExtractor } from "./frameworks/types.js";

/** Seed of the model weights: fixed, so every framework and every run builds the same model. */
export const WEIGHTS_SEED = 20171208;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function createExtractor(spec: CaseSpec, emit: Emit): Promise<FeatureExtractor> {
  const arch = resnet50Spec();
  emit({ type: "progress", phase: "build", done: 0, total: 1, message: "seeding weights" });
  const weights = seededWeights(arch, WEIGHTS_SEED);
  const size = spec.params.imageSize;
  if (spec.framework === "onnxruntime-node") {
    return onnxruntimeExtractor(resnet50Onnx(arch, weights, size), size, spec.device, spec.threads);
  }
  if (Object.hasOwn(TFJS_FLAVOURS, spec.framework)) {
    const flavour = spec.framework as TfjsFlavour;
    const wantsGpu = flavour === "tfjs-node-gpu";
    if (wantsGpu !== (spec.device === "gpu")) {
      throw new FrameworkUnavailableError(`${flavour} does not run on the ${spec.device}`);
    }
    return tfjsExtractor(flavour, arch, weights, size);
  }
  throw new FrameworkUnavailableError(`this worker has no framework '${spec.framework}'`);
}

async function main(): Promise<number> {
  const emit = protectStdout();
  let spec: CaseSpec;
  try {
    spec = caseSpecSchema.parse(JSON.parse(await readStdin()));
  } catch (err) {
    emit({ type: "error", kind: "failed", message: `invalid case spec on stdin: ${String(err)}` });
    return 2;
  }
  try {
    emit({ type: "progress", phase: "load", done: 0, total: 1, message: `loading ${spec.framework}` });
    const extractor = await createExtractor(spec, emit);
    emit({ type: "progress", phase: "build", done: 1, total: 1 });
    const run = await runFeatureExtraction(spec, extractor, emit);
    await extractor.dispose();
    emit({
      type: "result",
      framework: extractor.info,
      parameterCount: countParameters(resnet50Spec()),
      metrics: run.metrics,
      probe: run.probe,
    });
    return 0;
  } catch (err) {
    const unavailable = err instanceof FrameworkUnavailableError;
    const message = err instanceof Error ? err.message : String(err);
    emit({ type: "error", kind: unavailable ? "unavailable" : "failed", message });
    if (!unavailable && err instanceof Error && err.stack) process.stderr.write(err.stack + "\n");
    return unavailable ? 0 : 1;
  }
}

// Exit explicitly: native backends can keep thread pools alive after the work is done.
main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`worker crashed: ${String(err)}\n`);
    process.exit(1);
  },
);
