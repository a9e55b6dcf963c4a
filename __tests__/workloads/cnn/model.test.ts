import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { readCifar10Archive, type ImageSplit } from "../../../src/data/index.js";
import { cnnSeededWeights } from "../../../workloads/cnn/architecture.js";
import { CNN_PARAMETERS, cnnLayerTable, createCnnTrainer } from "../../../workloads/cnn/model.js";

const PIXELS = 3 * 32 * 32;
const batch = (split: ImageSplit, from: number, n: number) => ({
  images: split.images.subarray(from * PIXELS, (from + n) * PIXELS),
  labels: split.labels.subarray(from, from + n),
});

describe("cnn-cifar10 layer table", () => {
  it("is the reference model layer by layer and sums to 3,441,592 parameters", () => {
    const table = cnnLayerTable();
    expect(table.map((r) => [r.name, r.output, r.parameters])).toEqual([
      ["conv1", "50×32×32", 1_400],
      ["conv2", "50×32×32", 22_550],
      ["pool1", "50×16×16", 0],
      ["dropout1", "50×16×16", 0],
      ["conv3", "100×16×16", 45_100],
      ["conv4", "100×16×16", 90_100],
      ["pool2", "100×8×8", 0],
      ["dropout2", "100×8×8", 0],
      ["flatten", "6400", 0],
      ["dense1", "512", 3_277_312],
      ["dropout3", "512", 0],
      ["dense2", "10", 5_130],
    ]);
    expect(table.reduce((sum, r) => sum + r.parameters, 0)).toBe(CNN_PARAMETERS);
  });

  it("draws the same Glorot-uniform weights from the same seed, and others from another", () => {
    const a = cnnSeededWeights(5);
    const b = cnnSeededWeights(5);
    const c = cnnSeededWeights(6);
    expect(a.convs[1]!.kernel).toEqual(b.convs[1]!.kernel);
    expect(a.convs[1]!.kernel).not.toEqual(c.convs[1]!.kernel);
    // conv2: fan-in 450, fan-out 450, so the Glorot limit is sqrt(6/900).
    const limit = Math.sqrt(6 / 900);
    const kernel = Array.from(a.convs[1]!.kernel);
    expect(Math.max(...kernel)).toBeLessThan(limit);
    expect(Math.max(...kernel)).toBeGreaterThan(0.95 * limit);
    expect(Math.min(...kernel)).toBeGreaterThan(-limit);
  });
});

describe("cnn-cifar10 trainer on tfjs wasm", () => {
  let train: ImageSplit;
  beforeAll(async () => {
    await tf.setBackend("wasm");
    ({ train } = await readCifar10Archive("fixtures/data/cifar-10-binary.tar.gz"));
  });

  it("has the reference parameter count and records its layout", () => {
    const trainer = createCnnTrainer(tf, 1);
    expect(trainer.parameterCount).toBe(CNN_PARAMETERS);
    expect(trainer.layout).toBe("NHWC");
    trainer.dispose();
  });

  it("lowers the loss over a few steps on two fixture batches, without leaking tensors", async () => {
    expect(train.count).toBeGreaterThanOrEqual(24);
    const before = tf.memory().numTensors;
    const trainer = createCnnTrainer(tf, 1);
    const batches = [batch(train, 0, 12), batch(train, 12, 12)];
    const losses: number[] = [];
    for (let step = 0; step < 12; step++) {
      const b = batches[step % 2]!;
      losses.push(await trainer.trainStep(b.images, b.labels, 12));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Ten classes: the first losses sit near ln 10 ≈ 2.30. lr 0.01 learns slowly
    // at first (momentum builds up over ~10 steps), but by now the loss is clearly lower.
    expect(mean(losses.slice(0, 2))).toBeGreaterThan(2.1);
    expect(mean(losses.slice(-4))).toBeLessThan(mean(losses.slice(0, 2)) - 0.2);
    const during = tf.memory().numTensors;
    await trainer.trainStep(batches[0]!.images, batches[0]!.labels, 12);
    expect(tf.memory().numTensors).toBe(during);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("counts the images whose top logit is their label, with dropout off", async () => {
    const trainer = createCnnTrainer(tf, 2);
    const n = 6;
    const { images, labels } = batch(train, 0, n);
    await trainer.trainStep(images, labels, n);
    // Each image's prediction, found one image and one class at a time.
    const predictions = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const hits: number[] = [];
      for (let k = 0; k < 10; k++) {
        if ((await trainer.evaluate(batch(train, i, 1).images, Int32Array.of(k), 1)) === 1) hits.push(k);
      }
      expect(hits).toHaveLength(1);
      predictions[i] = hits[0]!;
    }
    expect(await trainer.evaluate(images, predictions, n)).toBe(n);
    expect(await trainer.evaluate(images, predictions, n)).toBe(n);
    const twoWrong = predictions.map((p, i) => (i < 2 ? (p + 1) % 10 : p));
    expect(await trainer.evaluate(images, twoWrong, n)).toBe(n - 2);
    const expected = predictions.reduce((sum, p, i) => sum + (p === labels[i] ? 1 : 0), 0);
    expect(await trainer.evaluate(images, labels, n)).toBe(expected);
    trainer.dispose();
  });
});
