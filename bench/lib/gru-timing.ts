/**
 * Shared pieces of the GRU training-step benchmarks: batch-64 synthetic IMDB
 * batches of the real shape, the wasm backend, step timing and medians.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { syntheticImdb } from "../../src/data/synthetic.js";
import type { RnnTrainer } from "../../workloads/rnn/model.js";

export const BATCH = 64;
export { tf };

/** Reads an integer from the environment, so a run can be sized without editing the script. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}='${raw}': expected a positive integer`);
  return value;
}

export async function useWasm(): Promise<void> {
  if (!(await tf.setBackend("wasm"))) throw new Error("the tfjs wasm backend failed to initialise");
  await tf.ready();
}

/** `count` batch-64 training batches of synthetic IMDB (150 tokens of the 30,000-word vocabulary). */
export function gruBatches(count: number, seed = 1): { sequences: Int32Array; labels: Int32Array }[] {
  const { train } = syntheticImdb(seed, { train: count * BATCH, test: 1 });
  return Array.from({ length: count }, (_, i) => ({
    sequences: train.sequences.subarray(i * BATCH * 150, (i + 1) * BATCH * 150),
    labels: train.labels.subarray(i * BATCH, (i + 1) * BATCH),
  }));
}

/** Seconds for one training step (trainStep reads the loss back, so the work is done). */
export async function timeStep(trainer: RnnTrainer, batch: { sequences: Int32Array; labels: Int32Array }) {
  const start = performance.now();
  const loss = await trainer.trainStep(batch.sequences, batch.labels, BATCH);
  if (!Number.isFinite(loss)) throw new Error(`${trainer.implementation}: loss ${loss}`);
  return (performance.now() - start) / 1000;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const fmt = (seconds: number[]) => seconds.map((s) => s.toFixed(3)).join(" ");
