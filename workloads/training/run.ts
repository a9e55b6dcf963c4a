/**
 * The training loop of cnn-cifar10 and rnn-imdb (docs/workloads.md): complete
 * batches only, the training set reshuffled every epoch (seeded), then test
 * accuracy over the complete test batches. The reference's headline is the wall
 * time of the whole loop, the first epoch included; the statistics get
 * steady-state samples: the mean step time of each window of steps after the
 * warm-up windows.
 */
import type { TrainingCaseSpec } from "../../src/core/protocol.js";
import { completeBatches, gatherBatch, batchView } from "../../src/data/batches.js";
import { median } from "../../src/judge/statistics.js";
import type { Emit } from "../protocol-writer.js";
import { SeededRandom, deriveSeed } from "../rng.js";
import type { Split, Trainer } from "./types.js";

export interface TrainingRun {
  metrics: { train_s: number; samples_per_s: number; step_s_median?: number; test_accuracy?: number };
  firstLoss: number;
  lastLoss: number;
}

/** A seeded permutation of 0..count-1 (Fisher–Yates). */
export function shuffledOrder(count: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const rng = new SeededRandom(seed);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

function emptyLike(a: Float32Array | Int32Array, length: number): Float32Array | Int32Array {
  return a instanceof Float32Array ? new Float32Array(length) : new Int32Array(length);
}

/** Steps per epoch: the profile's, capped by the complete batches the data has. */
export function stepsPerEpoch(spec: TrainingCaseSpec, train: Pick<Split, "count">): number {
  const available = completeBatches(train.count, spec.params.batchSize);
  const steps = Math.min(spec.params.stepsPerEpoch ?? available, available);
  if (steps < 1)
    throw new Error(`the training set has ${train.count} samples: not one complete batch of ${spec.params.batchSize}`);
  return steps;
}

async function evaluate(
  spec: TrainingCaseSpec,
  trainer: Trainer,
  test: Split,
  emit: Emit,
): Promise<number | undefined> {
  const { batchSize } = spec.params;
  const batches = Math.min(spec.params.testBatches ?? Infinity, completeBatches(test.count, batchSize));
  if (batches < 1) return undefined;
  let correct = 0;
  for (let b = 0; b < batches; b++) {
    const x = batchView(test.inputs, test.perSample, b, batchSize);
    const y = batchView(test.labels, 1, b, batchSize);
    correct += await trainer.evaluate(x, y, batchSize);
    emit({ type: "progress", phase: "evaluate", done: b + 1, total: batches });
  }
  return (100 * correct) / (batches * batchSize);
}

export async function runTraining(
  spec: TrainingCaseSpec,
  trainer: Trainer,
  train: Split,
  test: Split,
  emit: Emit,
): Promise<TrainingRun> {
  const { batchSize, epochs, window, warmupWindows } = spec.params;
  const steps = stepsPerEpoch(spec, train);
  const x = emptyLike(train.inputs, batchSize * train.perSample);
  const y = new Int32Array(batchSize);
  const samples: number[] = [];
  let windowSum = 0;
  let inWindow = 0;
  let windowIndex = 0;
  let firstLoss = NaN;
  let lastLoss = NaN;

  const start = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = shuffledOrder(train.count, deriveSeed(spec.seed, `epoch/${epoch}`));
    for (let s = 0; s < steps; s++) {
      const t0 = performance.now();
      gatherBatch(train.inputs, train.perSample, order, s, x, batchSize);
      gatherBatch(train.labels, 1, order, s, y, batchSize);
      lastLoss = await trainer.trainStep(x, y, batchSize);
      windowSum += (performance.now() - t0) / 1000;
      if (Number.isNaN(firstLoss)) firstLoss = lastLoss;
      if (!Number.isFinite(lastLoss))
        throw new Error(`the loss became ${lastLoss} at epoch ${epoch + 1}, step ${s + 1}`);
      if (++inWindow === window) {
        if (windowIndex++ >= warmupWindows) {
          samples.push(windowSum / window);
          emit({ type: "sample", name: "step_s", value: windowSum / window });
        }
        windowSum = 0;
        inWindow = 0;
        emit({
          type: "progress",
          phase: "train",
          done: epoch * steps + s + 1,
          total: epochs * steps,
          message: `loss ${lastLoss.toFixed(4)}`,
        });
      }
    }
  }
  const trainS = (performance.now() - start) / 1000;
  const accuracy = await evaluate(spec, trainer, test, emit);
  return {
    metrics: {
      train_s: trainS,
      samples_per_s: (epochs * steps * batchSize) / trainS,
      ...(samples.length ? { step_s_median: median(samples) } : {}),
      ...(accuracy !== undefined ? { test_accuracy: accuracy } : {}),
    },
    firstLoss,
    lastLoss,
  };
}
