/**
 * The data a training case reads: the reference dataset from the data folder
 * (verified and cached by `rosetta-bench data fetch` or the action), or seeded
 * synthetic data of the same shapes for timing-only runs.
 */
import type { TrainingCaseSpec } from "../../src/core/protocol.js";
import { CIFAR10 } from "../../src/data/cifar10.js";
import { loadCifar10, loadImdb, syntheticCifar10, syntheticImdb } from "../../src/data/index.js";
import { IMDB } from "../../src/data/imdb.js";
import type { Split } from "./types.js";

export interface TrainingData {
  train: Split;
  test: Split;
  /** "real" or "synthetic", as the results record it. */
  data: TrainingCaseSpec["params"]["data"];
}

/** Synthetic splits only as large as the profile reads: a smoke run needs 8 batches, not 50,000 images. */
function syntheticSizes(spec: TrainingCaseSpec, full: { train: number; test: number }) {
  const { batchSize, stepsPerEpoch, testBatches } = spec.params;
  return {
    train: Math.min(full.train, (stepsPerEpoch ?? Infinity) * batchSize),
    test: Math.min(full.test, (testBatches ?? Infinity) * batchSize),
  };
}

export async function loadTrainingData(spec: TrainingCaseSpec): Promise<TrainingData> {
  const synthetic = spec.params.data === "synthetic";
  if (spec.workload === "cnn-cifar10") {
    const d = synthetic
      ? syntheticCifar10(spec.seed, syntheticSizes(spec, { train: 50_000, test: 10_000 }))
      : await loadCifar10(spec.dataDir);
    const perSample = CIFAR10.channels * CIFAR10.height * CIFAR10.width;
    return {
      train: { inputs: d.train.images, labels: d.train.labels, count: d.train.count, perSample },
      test: { inputs: d.test.images, labels: d.test.labels, count: d.test.count, perSample },
      data: spec.params.data,
    };
  }
  const d = synthetic
    ? syntheticImdb(spec.seed, syntheticSizes(spec, { train: 25_000, test: 25_000 }))
    : await loadImdb(spec.dataDir);
  return {
    train: { inputs: d.train.sequences, labels: d.train.labels, count: d.train.count, perSample: IMDB.sequenceLength },
    test: { inputs: d.test.sequences, labels: d.test.labels, count: d.test.count, perSample: IMDB.sequenceLength },
    data: spec.params.data,
  };
}
