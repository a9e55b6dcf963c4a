/** Shared test helpers: temp folders, case specs, and results/baseline builders. */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { PROTOCOL_VERSION, type FeatureCaseSpec } from "../src/core/protocol.js";
import type { Environment, Results, CaseResult } from "../src/core/results-schema.js";
import { median } from "../src/judge/statistics.js";

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A fresh temp folder, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(os.tmpdir(), "rosetta-bench-test-"));
  temps.push(dir);
  return dir;
}

export function caseSpec(overrides: Partial<FeatureCaseSpec> = {}): FeatureCaseSpec {
  return {
    protocol: PROTOCOL_VERSION,
    id: "resnet50-features/onnxruntime-node/cpu/test",
    framework: "onnxruntime-node",
    workload: "resnet50-features",
    device: "cpu",
    profile: "test",
    seed: 1,
    threads: 2,
    params: { batchSize: 1, batches: 2, imageSize: 32, warmupPasses: 1 },
    ...overrides,
  };
}

/** Options of the comparison as the defaults set them. */
export const COMPARE_DEFAULTS = {
  threshold: 0.05,
  accuracyTolerance: 1,
  workloadThresholds: {},
  failedIsRegression: true,
};

export const ENVIRONMENT: Environment = {
  os: { platform: "linux", release: "6.1.0", arch: "x64" },
  cpu: { model: "AMD EPYC 7B13", cores: 2 },
  memoryBytes: 24 * 2 ** 30,
  node: "v20.20.2",
  gpus: [],
  frameworks: { "onnxruntime-node": "1.30.0", tfjs: "4.22.0" },
};

/** Eight batch times around `center` with ±2% deterministic jitter. */
export function jittered(center: number, count = 8): number[] {
  return Array.from({ length: count }, (_, i) => center * (1 + 0.02 * Math.sin(i * 2.1)));
}

export function okCase(framework: string, imagesPerS: number, overrides: Partial<CaseResult> = {}): CaseResult {
  const batch = 4 / imagesPerS;
  const samples = jittered(batch);
  return {
    id: `resnet50-features/${framework}/cpu/smoke`,
    workload: "resnet50-features",
    framework: { id: framework, version: framework === "tfjs" ? "4.22.0" : "1.30.0" },
    device: "cpu",
    profile: "smoke",
    params: { batchSize: 4, batches: 4, imageSize: 224, warmupPasses: 1 },
    status: "ok",
    parameterCount: 23_508_032,
    metrics: { images_per_s: imagesPerS, batch_s_median: median(samples), s_per_1000_images: 1000 / imagesPerS },
    samples: { batch_s: samples },
    durationS: 5,
    ...overrides,
  };
}

export function results(cases: CaseResult[], environment: Environment = ENVIRONMENT): Results {
  return {
    schemaVersion: 1,
    tool: { name: "rosetta-bench", version: "0.1.0" },
    createdAt: "2026-11-26T12:00:00.000Z",
    profile: "smoke",
    seed: 1,
    environment,
    cases,
    crossChecks: [],
  };
}
