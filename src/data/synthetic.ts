/**
 * Synthetic stand-ins for timing-only runs: the real shapes, types and value
 * ranges, seeded, and marked synthetic in their provenance so no report can
 * pass them off as, or compare them with, the real data.
 */
import { SeededRandom, deriveSeed } from "../../workloads/rng.js";
import { CIFAR10, type Cifar10Data, type ImageSplit } from "./cifar10.js";
import { IMDB, type ImdbData, type SequenceSplit } from "./imdb.js";

/** The real sizes: 50,000/10,000 images and 25,000/25,000 reviews. */
export const FULL_SIZES = { cifar10: { train: 50_000, test: 10_000 }, imdb: { train: 25_000, test: 25_000 } } as const;

function int(rng: SeededRandom, below: number): number {
  return Math.floor(rng.next() * below);
}

function imageSplit(rng: SeededRandom, count: number): ImageSplit {
  const images = new Float32Array(count * CIFAR10.imageSize);
  // Multiples of 1/255, like real pixels, so value-dependent fast paths behave as they would.
  for (let i = 0; i < images.length; i++) images[i] = Math.fround(int(rng, 256) / 255);
  const labels = Int32Array.from({ length: count }, () => int(rng, CIFAR10.classes));
  return { images, labels, count };
}

/** CIFAR-10-shaped data: NCHW float32 in [0, 1], labels 0–9. */
export function syntheticCifar10(
  seed: number,
  sizes: { train: number; test: number } = FULL_SIZES.cifar10,
): Cifar10Data {
  return {
    train: imageSplit(new SeededRandom(deriveSeed(seed, "cifar10/train")), sizes.train),
    test: imageSplit(new SeededRandom(deriveSeed(seed, "cifar10/test")), sizes.test),
    provenance: { kind: "synthetic", dataset: "cifar10", seed },
  };
}

function sequenceSplit(rng: SeededRandom, count: number): SequenceSplit {
  const L = IMDB.sequenceLength;
  const sequences = new Int32Array(count * L);
  // Full rows (a start token, then words from the kept vocabulary): the GRU runs all 150 steps whatever the padding.
  for (let i = 0; i < count; i++) {
    sequences[i * L] = IMDB.startToken;
    for (let t = 1; t < L; t++) sequences[i * L + t] = IMDB.indexFrom + int(rng, IMDB.vocabulary - IMDB.indexFrom);
  }
  const labels = Int32Array.from({ length: count }, () => int(rng, 2));
  return { sequences, labels, count, sequenceLength: L };
}

/** IMDB-shaped data: [count × 150] int32 tokens in [1, 30000), labels 0/1. */
export function syntheticImdb(seed: number, sizes: { train: number; test: number } = FULL_SIZES.imdb): ImdbData {
  return {
    train: sequenceSplit(new SeededRandom(deriveSeed(seed, "imdb/train")), sizes.train),
    test: sequenceSplit(new SeededRandom(deriveSeed(seed, "imdb/test")), sizes.test),
    provenance: { kind: "synthetic", dataset: "imdb", seed },
  };
}
