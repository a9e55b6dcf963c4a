import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { GRU_PARAMETERS, createRnnTrainer, rnnLayerTable } from "../../../workloads/rnn/model.js";
import { SeededRandom } from "../../../workloads/rng.js";

const SMALL = { seqLen: 12, vocab: 50 };
const BATCH = 16;

/** A learnable toy task: positive reviews use words 3–25, negative ones words 26–49. */
function toyBatch(seed: number, n = BATCH): { sequences: Int32Array; labels: Int32Array } {
  const rng = new SeededRandom(seed);
  const labels = Int32Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
  const sequences = new Int32Array(n * SMALL.seqLen);
  for (let i = 0; i < n; i++) {
    sequences[i * SMALL.seqLen] = 1; // start token
    for (let t = 1; t < SMALL.seqLen; t++) {
      const [low, high] = labels[i] === 1 ? [3, 26] : [26, 50];
      sequences[i * SMALL.seqLen + t] = low + Math.floor(rng.next() * (high - low));
    }
  }
  return { sequences, labels };
}

describe("the rnn-imdb model", () => {
  beforeAll(async () => {
    await tf.setBackend("wasm");
  });

  it("has the layer table of docs/workloads.md §2 in the cuDNN form, summing to 3,818,302 parameters", () => {
    const table = rnnLayerTable();
    expect(table.map((r) => [r.kind, r.output, r.parameters])).toEqual([
      ["Embedding", "(N, 150, 125)", 3_750_000],
      ["GRU", "(N, 100)", 68_100],
      ["Dense", "(N, 2)", 202],
    ]);
    expect(table.reduce((sum, r) => sum + r.parameters, 0)).toBe(GRU_PARAMETERS);
    expect(GRU_PARAMETERS).toBe(3_818_302);
  });

  it.each(["fused", "stepwise"] as const)("builds %s with GRU_PARAMETERS parameters", (implementation) => {
    const trainer = createRnnTrainer(tf, 1, implementation);
    expect(trainer.parameterCount).toBe(GRU_PARAMETERS);
    expect(trainer.implementation).toBe(implementation);
    trainer.dispose();
  });

  it("trains the fused and the step-by-step model identically from the same seed (wasm)", async () => {
    const fused = createRnnTrainer(tf, 3, "fused", SMALL);
    const layers = createRnnTrainer(tf, 3, "stepwise", SMALL);
    const tensors: number[] = [];
    for (let step = 0; step < 3; step++) {
      const { sequences, labels } = toyBatch(100 + step);
      const a = await fused.trainStep(sequences, labels, BATCH);
      const b = await layers.trainStep(sequences, labels, BATCH);
      expect(a).toBeCloseTo(b, 5); // the later steps compare the Adam updates, embedding gradient included
      tensors.push(tf.memory().numTensors);
    }
    // No tensor leaks per step (the first step creates Adam's moment slots).
    expect(tensors[2]).toBe(tensors[1]);
    fused.dispose();
    layers.dispose();
  });

  it("learns a learnable task: the loss falls and evaluate() counts correct predictions (wasm, fused)", async () => {
    const trainer = createRnnTrainer(tf, 5, "fused", SMALL);
    const test = toyBatch(999, 64);
    const before = await trainer.evaluate(test.sequences, test.labels, 64);
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) {
      const { sequences, labels } = toyBatch(step);
      losses.push(await trainer.trainStep(sequences, labels, BATCH));
    }
    const after = await trainer.evaluate(test.sequences, test.labels, 64);
    trainer.dispose();
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-5))).toBeLessThan(0.6 * mean(losses.slice(0, 5)));
    expect(Number.isInteger(before) && before >= 0 && before <= 64).toBe(true);
    expect(after).toBeGreaterThanOrEqual(58); // ≥ 90% on a task this easy
    expect(after).toBeGreaterThan(before);
  });

  it("rejects a batch whose size or tokens do not fit the model", async () => {
    const trainer = createRnnTrainer(tf, 1, "fused", SMALL);
    const { sequences, labels } = toyBatch(1, 2);
    await expect(trainer.trainStep(sequences, labels, 3)).rejects.toThrow(/expected 3 sequences of 12 tokens/);
    sequences[5] = 50;
    await expect(trainer.evaluate(sequences, labels, 2)).rejects.toThrow(
      /token 50 at 5 is outside the vocabulary \[0, 50\)/,
    );
    trainer.dispose();
  });
});
