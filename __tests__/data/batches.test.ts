import { describe, expect, it } from "vitest";
import { BATCH_SIZE, batchView, completeBatches, gatherBatch } from "../../src/data/batches.js";
import { CIFAR10 } from "../../src/data/cifar10.js";
import { IMDB } from "../../src/data/imdb.js";
import { FULL_SIZES, syntheticCifar10, syntheticImdb } from "../../src/data/synthetic.js";

describe("complete batches", () => {
  it("gives the reference's batch counts", () => {
    expect(BATCH_SIZE).toBe(64);
    expect(completeBatches(FULL_SIZES.cifar10.train)).toBe(781);
    expect(completeBatches(FULL_SIZES.cifar10.test)).toBe(156);
    expect(completeBatches(FULL_SIZES.imdb.train)).toBe(390);
    expect(completeBatches(FULL_SIZES.imdb.test)).toBe(390);
  });

  it("views a batch without copying and refuses the incomplete remainder", () => {
    const labels = Int32Array.from({ length: 130 }, (_, i) => i);
    const second = batchView(labels, 1, 1);
    expect(Array.from(second)).toEqual(Array.from({ length: 64 }, (_, i) => 64 + i));
    expect(second.buffer).toBe(labels.buffer);
    expect(() => batchView(labels, 1, 2)).toThrow("batch 2 does not exist: there are 2 complete batches of 64");
  });

  it("gathers a shuffled batch into a reused buffer", () => {
    const rows = Float32Array.from({ length: 6 * 2 }, (_, i) => i); // 6 samples of 2 values
    const out = new Float32Array(2 * 2);
    gatherBatch(rows, 2, Int32Array.from([5, 0, 3, 1, 4, 2]), 1, out, 2);
    expect(Array.from(out)).toEqual([6, 7, 2, 3]); // samples 3 and 1
  });
});

describe("synthetic data", () => {
  it("has the real shapes, types and ranges, is seeded, and says it is synthetic", () => {
    const a = syntheticCifar10(7, { train: 70, test: 3 });
    expect(a.train.images).toBeInstanceOf(Float32Array);
    expect(a.train.images).toHaveLength(70 * CIFAR10.imageSize);
    expect(a.train.labels).toBeInstanceOf(Int32Array);
    expect(Math.min(...a.train.labels)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.train.labels)).toBeLessThan(10);
    expect(a.train.images.every((v) => v >= 0 && v <= 1 && Math.fround(Math.round(v * 255) / 255) === v)).toBe(true);
    const bytes = (f: Float32Array) => Buffer.from(f.buffer, f.byteOffset, f.byteLength);
    expect(bytes(syntheticCifar10(7, { train: 70, test: 3 }).train.images).equals(bytes(a.train.images))).toBe(true);
    expect(bytes(syntheticCifar10(8, { train: 70, test: 3 }).train.images).equals(bytes(a.train.images))).toBe(false);
    expect(a.provenance).toEqual({ kind: "synthetic", dataset: "cifar10", seed: 7 });

    // The planted signal: class c lights rows 3c..3c+2 of every channel, the rest is dim noise.
    for (let n = 0; n < 70; n++) {
      const image = a.train.images.subarray(n * CIFAR10.imageSize, (n + 1) * CIFAR10.imageSize);
      const lit = (c: number, row: number) => image.subarray((c * 32 + row) * 32, (c * 32 + row + 1) * 32);
      const c0 = a.train.labels[n]!;
      for (let row = 0; row < 32; row++) {
        const marked = row >= 3 * c0 && row < 3 * c0 + 3;
        for (let c = 0; c < 3; c++) expect(lit(c, row).every((v) => (marked ? v === 1 : v < 64 / 255))).toBe(true);
      }
    }

    const t = syntheticImdb(7, { train: 5, test: 2 });
    for (let i = 0; i < 5; i++) {
      const band = 3 + 50 * t.train.labels[i]!;
      const tail = t.train.sequences.subarray(i * 150 + 130, (i + 1) * 150);
      expect(tail.every((w) => w >= band && w < band + 50)).toBe(true);
    }
    expect(t.train.sequences).toHaveLength(5 * IMDB.sequenceLength);
    expect(t.train.sequences[0]).toBe(IMDB.startToken);
    expect(t.train.sequences.every((v) => v >= 1 && v < IMDB.vocabulary)).toBe(true);
    expect(t.provenance).toEqual({ kind: "synthetic", dataset: "imdb", seed: 7 });
  });
});
