/**
 * GRU training step (batch 64, 150 steps, the full model) on the tfjs wasm
 * backend: our fused GRU (its own gradient) against the same cuDNN-form GRU
 * step by step with tfjs's autodiff, same weights, same backend,
 * steps interleaved so background load hits both alike.
 *
 *   node scripts/bench.mjs gru-fused-vs-stepwise        (GRU_WARMUP=2 GRU_STEPS=5)
 */
import { createRnnTrainer } from "../workloads/rnn/model.js";
import { envInt, fmt, gruBatches, median, tf, timeStep, useWasm } from "./lib/gru-timing.js";

const warmup = envInt("GRU_WARMUP", 2);
const steps = envInt("GRU_STEPS", 5);
await useWasm();
const batches = gruBatches(warmup + steps);
const trainers = [createRnnTrainer(tf, 7, "fused"), createRnnTrainer(tf, 7, "stepwise")];
const times = new Map(trainers.map((t) => [t.implementation, [] as number[]]));
for (let i = 0; i < warmup + steps; i++) {
  for (const trainer of trainers) {
    const seconds = await timeStep(trainer, batches[i]!);
    if (i >= warmup) times.get(trainer.implementation)!.push(seconds);
  }
}
const fused = median(times.get("fused")!);
const stepwise = median(times.get("stepwise")!);
console.log(
  `tfjs ${tf.version.tfjs} backend ${tf.getBackend()}, batch 64, ${warmup} warm-up + ${steps} timed steps each`,
);
console.log(`fused  median ${fused.toFixed(3)} s/step  (${fmt(times.get("fused")!)})`);
console.log(`stepwise median ${stepwise.toFixed(3)} s/step  (${fmt(times.get("stepwise")!)})`);
console.log(`stepwise / fused = ${(stepwise / fused).toFixed(2)}×`);
trainers.forEach((t) => t.dispose());
