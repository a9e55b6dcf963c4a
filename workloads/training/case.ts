/**
 * A training case (cnn-cifar10, rnn-imdb) on a tfjs flavour: one model code path
 * whatever the backend. On wasm, which lacks two kernels training needs, the
 * gradients built from kernels it has are registered first.
 */
import type { ResultMessage, TrainingCaseSpec } from "../../src/core/protocol.js";
import { createCnnTrainer } from "../cnn/model.js";
import { TFJS_FLAVOURS, loadTf, tfjsFlavourOf } from "../frameworks/tfjs.js";
import { FrameworkUnavailableError, packageVersion } from "../frameworks/types.js";
import type { Emit } from "../protocol-writer.js";
import { deriveSeed } from "../rng.js";
import { createRnnTrainer } from "../rnn/model.js";
import { registerEmbeddingGradient } from "../tfjs-gradients/embedding.js";
import { registerFastTrainingGradients } from "../tfjs-gradients/index.js";
import { loadTrainingData } from "./data.js";
import { runTraining } from "./run.js";
import type { ProbedTrainer, Split } from "./types.js";
import { batchView, completeBatches } from "../../src/data/batches.js";

/** Seed of the initial weights: fixed, so every framework and run starts from the same model. */
export const INIT_SEED = 20180315;

/** The first-step check on the first training batch (stored order), or undefined when there is none. */
async function firstBatchProbe(
  spec: TrainingCaseSpec,
  trainer: ProbedTrainer,
  train: Split,
): Promise<number[] | undefined> {
  const n = spec.params.batchSize;
  try {
    if (completeBatches(train.count, n) < 1) return undefined;
    return await trainer.probeStep(batchView(train.inputs, train.perSample, 0, n), batchView(train.labels, 1, 0, n), n);
  } finally {
    trainer.dispose();
  }
}

export async function runTrainingCase(spec: TrainingCaseSpec, emit: Emit): Promise<ResultMessage> {
  const flavour = tfjsFlavourOf(spec.framework, spec.device);
  if (!flavour) throw new FrameworkUnavailableError(`${spec.framework} has no training API for ${spec.workload}`);
  const loaded = await loadTf(flavour, spec.threads);
  const tf = loaded.tf;
  const wasm = tf.getBackend() === "wasm";
  if (wasm) {
    registerFastTrainingGradients(tf);
    registerEmbeddingGradient(tf);
  }
  emit({ type: "progress", phase: "data", done: 0, total: 1, message: `${spec.params.data} data` });
  const data = await loadTrainingData(spec);
  emit({ type: "progress", phase: "build", done: 0, total: 1 });
  const seed = deriveSeed(INIT_SEED, spec.workload);
  const create = (): ProbedTrainer & { layout?: string; implementation?: string } =>
    spec.workload === "cnn-cifar10" ? createCnnTrainer(tf, seed) : createRnnTrainer(tf, seed, "fused");
  // The first-step check, on a model of its own and outside the timed loop.
  const probe = await firstBatchProbe(spec, create(), data.train);
  const trainer = create();
  const run = await runTraining(spec, trainer, data.train, data.test, emit);
  trainer.dispose();
  return {
    type: "result",
    framework: {
      version: packageVersion(TFJS_FLAVOURS[flavour].package),
      backend: tf.getBackend(),
      details: {
        data: data.data,
        ...(trainer.layout ? { layout: trainer.layout } : {}),
        ...(trainer.implementation ? { gru: trainer.implementation } : {}),
        ...(wasm ? { gradients: "registered from wasm kernels" } : {}),
        ...loaded.details,
        firstLoss: run.firstLoss,
        lastLoss: run.lastLoss,
      },
    },
    parameterCount: trainer.parameterCount,
    metrics: run.metrics,
    ...(probe ? { probe } : {}),
  };
}
