/**
 * What rosetta-bench can run: frameworks, workloads and profiles. Ids here are the
 * accepted values of the `frameworks`, `workloads` and `profile` inputs.
 */
import type { Device, FeatureParams, TrainingParams, TrainingWorkload } from "./protocol.js";

export const WORKLOAD_IDS = ["cnn-cifar10", "rnn-imdb", "resnet50-features"] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

export interface FrameworkEntry {
  /** The package that holds the framework: an npm package pinned in package.json, or (runtime python) a Python one. */
  package: string;
  /** What runs its worker: Node.js (workloads/worker.ts) or a Python interpreter (workloads/pytorch, see `python`). */
  runtime: "node" | "python";
  devices: readonly Device[];
  workloads: readonly WorkloadId[];
}

const ALL_WORKLOADS = WORKLOAD_IDS;

export const FRAMEWORKS = {
  tfjs: { package: "@tensorflow/tfjs", runtime: "node", devices: ["cpu"], workloads: ALL_WORKLOADS },
  "tfjs-node": { package: "@tensorflow/tfjs-node", runtime: "node", devices: ["cpu"], workloads: ALL_WORKLOADS },
  "tfjs-node-gpu": {
    package: "@tensorflow/tfjs-node-gpu",
    runtime: "node",
    devices: ["gpu"],
    workloads: ALL_WORKLOADS,
  },
  // onnxruntime-node is an inference runtime: it has no training API for these models.
  "onnxruntime-node": {
    package: "onnxruntime-node",
    runtime: "node",
    devices: ["cpu", "gpu"],
    workloads: ["resnet50-features"],
  },
  // The reference framework, in Python: the interpreter named by `python` must import torch (and torchvision).
  pytorch: { package: "torch", runtime: "python", devices: ["cpu", "gpu"], workloads: ALL_WORKLOADS },
} as const satisfies Record<string, FrameworkEntry>;
export type FrameworkId = keyof typeof FRAMEWORKS;
export const FRAMEWORK_IDS = Object.keys(FRAMEWORKS) as FrameworkId[];

export const PROFILE_IDS = ["smoke", "quick", "full"] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

/**
 * ResNet-50 features. `full` is the reference exactly: batch 32 × 40 batches
 * after one untimed pass. `quick` is half of it: 20 samples, as many as the
 * training workloads' quick profile gives, where 10 let the rank test call a
 * 2% slowdown a regression on simulated noise (2 pairs in 2,000) and detected a
 * 5% one half as often (bench/decision-rates.ts). `smoke` is sized for a
 * fresh 2-core machine (tfjs on wasm runs about 2 images/s), and its 6 samples
 * are the fewest the rank test can decide on.
 */
export const FEATURE_PROFILES: Record<ProfileId, FeatureParams> = {
  smoke: { batchSize: 4, batches: 6, imageSize: 224, warmupPasses: 1 },
  quick: { batchSize: 32, batches: 20, imageSize: 224, warmupPasses: 1 },
  full: { batchSize: 32, batches: 40, imageSize: 224, warmupPasses: 1 },
};

/**
 * Training. `full` is the reference exactly (every complete batch, all epochs,
 * every complete test batch). `quick` trains 100 steps of the same model and
 * batch size on the real data: 1.3% of the CNN's 7,810 steps and 8.5% of the
 * GRU's 1,170, for PR gating on a GPU runner, with 19 step-time samples. `smoke`
 * runs 8 steps on synthetic data: a timing check that fits a 2-core machine.
 */
export const TRAINING_PROFILES: Record<TrainingWorkload, Record<ProfileId, TrainingParams>> = {
  "cnn-cifar10": {
    smoke: {
      batchSize: 64,
      epochs: 1,
      stepsPerEpoch: 8,
      testBatches: 2,
      window: 1,
      warmupWindows: 2,
      data: "synthetic",
    },
    quick: {
      batchSize: 64,
      epochs: 1,
      stepsPerEpoch: 100,
      testBatches: 156,
      window: 5,
      warmupWindows: 1,
      data: "real",
    },
    full: { batchSize: 64, epochs: 10, window: 50, warmupWindows: 1, data: "real" },
  },
  "rnn-imdb": {
    smoke: {
      batchSize: 64,
      epochs: 1,
      stepsPerEpoch: 8,
      testBatches: 2,
      window: 1,
      warmupWindows: 2,
      data: "synthetic",
    },
    quick: {
      batchSize: 64,
      epochs: 1,
      stepsPerEpoch: 100,
      testBatches: 390,
      window: 5,
      warmupWindows: 1,
      data: "real",
    },
    full: { batchSize: 64, epochs: 3, window: 30, warmupWindows: 1, data: "real" },
  },
};

/**
 * The acceptance range of test accuracy (%) after the full profile: every
 * framework of the reference falls inside it (CNN 75.25% Keras on Theano to
 * 79.02% Chainer; GRU 84.45% Knet to 86.29% PyTorch on a K80), with a margin
 * for seed-to-seed spread (docs/workloads.md).
 */
export const REFERENCE_ACCURACY: Record<TrainingWorkload, { low: number; high: number }> = {
  "cnn-cifar10": { low: 74, high: 80 },
  "rnn-imdb": { low: 83.5, high: 87 },
};

export const DEFAULT_FRAMEWORKS: readonly FrameworkId[] = ["onnxruntime-node", "tfjs"];
export const DEFAULT_WORKLOADS: readonly WorkloadId[] = WORKLOAD_IDS;

/** A framework outside this tool: a name and the shell command that starts its worker (see `workers`). */
export interface ExternalWorker {
  name: string;
  command: string;
}
