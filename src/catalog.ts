/**
 * What rosetta-bench can run: frameworks, workloads and profiles. Ids here are the
 * accepted values of the `frameworks`, `workloads` and `profile` inputs.
 */
import type { Device, FeatureParams } from "./protocol.js";

export interface FrameworkEntry {
  /** The npm package whose version is pinned in package.json. */
  package: string;
  devices: readonly Device[];
  workloads: readonly WorkloadId[];
}

export const WORKLOAD_IDS = ["resnet50-features"] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

export const FRAMEWORKS = {
  tfjs: { package: "@tensorflow/tfjs", devices: ["cpu"], workloads: ["resnet50-features"] },
  "tfjs-node": { package: "@tensorflow/tfjs-node", devices: ["cpu"], workloads: ["resnet50-features"] },
  "tfjs-node-gpu": { package: "@tensorflow/tfjs-node-gpu", devices: ["gpu"], workloads: ["resnet50-features"] },
  "onnxruntime-node": { package: "onnxruntime-node", devices: ["cpu", "gpu"], workloads: ["resnet50-features"] },
} as const satisfies Record<string, FrameworkEntry>;
export type FrameworkId = keyof typeof FRAMEWORKS;
export const FRAMEWORK_IDS = Object.keys(FRAMEWORKS) as FrameworkId[];

export const PROFILE_IDS = ["smoke", "full"] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/**
 * `full` is the reference exactly: batch 32 × 40 batches after one untimed pass.
 * `smoke` is sized for a fresh 2-core machine: the slowest framework here (tfjs
 * on wasm, about 2 images/s) finishes it in well under a minute, and its 6
 * samples per case are the fewest the rank test can decide on (MIN_SAMPLES).
 */
export const PROFILES: Record<WorkloadId, Record<ProfileId, FeatureParams>> = {
  "resnet50-features": {
    smoke: { batchSize: 4, batches: 6, imageSize: 224, warmupPasses: 1 },
    full: { batchSize: 32, batches: 40, imageSize: 224, warmupPasses: 1 },
  },
};

export const DEFAULT_FRAMEWORKS: readonly FrameworkId[] = ["onnxruntime-node", "tfjs"];
export const DEFAULT_WORKLOADS: readonly WorkloadId[] = ["resnet50-features"];
