/**
 * The resnet50-features timing loop (docs/workloads.md §3): one untimed warm-up pass
 * over all batches, then one timed pass with every batch timed on its own. Each
 * batch's time runs from handing the host batch to the framework to having its
 * features back in host memory, which synchronises the device.
 */
import type { FeatureCaseSpec } from "../../src/core/protocol.js";
import type { Emit } from "../protocol-writer.js";
import type { FeatureExtractor } from "../frameworks/types.js";
import { nchwToNhwc } from "./tfjs-model.js";
import { seededImages } from "./architecture.js";
import { median } from "../../src/judge/statistics.js";

/** Distinct input batches held in memory; the full profile's 40 batches cycle over these. */
export const INPUT_POOL = 4;
/** Images of the first batch whose features are reported as the cross-framework probe. */
export const PROBE_IMAGES = 2;

export interface FeatureRun {
  metrics: { images_per_s: number; batch_s_median: number; s_per_1000_images: number };
  probe: number[];
  /** Where the framework ran the model, as its device proof found it. */
  placement?: string;
}

export async function runFeatureExtraction(
  spec: FeatureCaseSpec,
  extractor: FeatureExtractor,
  emit: Emit,
): Promise<FeatureRun> {
  const { batchSize, batches, imageSize, warmupPasses } = spec.params;
  const pool = Array.from({ length: Math.min(batches, INPUT_POOL) }, (_, i) => {
    const nchw = seededImages(spec.seed, batchSize, imageSize, i);
    return extractor.layout === "NCHW" ? nchw : nchwToNhwc(nchw, batchSize, 3, imageSize);
  });
  const input = (i: number): Float32Array => pool[i % pool.length] ?? new Float32Array();

  let probe: number[] = [];
  const keepProbe = (features: Float32Array) => {
    if (probe.length === 0) probe = Array.from(features.subarray(0, Math.min(batchSize, PROBE_IMAGES) * 2048));
  };

  for (let pass = 0; pass < warmupPasses; pass++) {
    for (let i = 0; i < batches; i++) {
      keepProbe(await extractor.infer(input(i), batchSize));
      emit({ type: "progress", phase: "warmup", done: pass * batches + i + 1, total: warmupPasses * batches });
    }
  }

  // The device proof reads what the untimed pass did; with no warm-up, one untimed batch is run for it.
  let placement: string | undefined;
  if (extractor.proveDevice) {
    if (warmupPasses === 0) keepProbe(await extractor.infer(input(0), batchSize));
    placement = await extractor.proveDevice();
  }

  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < batches; i++) {
    const t0 = performance.now();
    const features = await extractor.infer(input(i), batchSize);
    const seconds = (performance.now() - t0) / 1000;
    keepProbe(features);
    times.push(seconds);
    emit({ type: "sample", name: "batch_s", value: seconds });
    emit({ type: "progress", phase: "measure", done: i + 1, total: batches });
  }
  const wall = (performance.now() - start) / 1000;
  const images = batchSize * batches;
  return {
    metrics: {
      images_per_s: images / wall,
      batch_s_median: median(times),
      s_per_1000_images: (1000 * wall) / images,
    },
    probe,
    ...(placement ? { placement } : {}),
  };
}
