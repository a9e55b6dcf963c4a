/**
 * Synthetic stand-ins for timing-only runs: the real shapes, types and value
 * ranges, seeded, and marked synthetic in their provenance so no report can
 * pass them off as, or compare them with, the real data.
 *
 * Each carries a planted signal, so that a few steps of training visibly lower
 * the loss (a smoke run shows the model learns, in every framework): a CIFAR-10
 * image of class c has rows 3c to 3c + 2 at full brightness over dim noise; an
 * IMDB review of label l ends with 20 words from its own band of 50
 * (3 + 50·l to 52 + 50·l). Every framework reads the same values
 * (workloads/pytorch/rosetta_torch/data.py draws them identically).
 */
import { SeededRandom, deriveSeed } from "../../workloads/rng.js";
import { CIFAR10, type Cifar10Data, type ImageSplit } from "./cifar10.js";
import { IMDB, type ImdbData, type SequenceSplit } from "./imdb.js";

/** Noise pixels are 0 to NOISE_LEVELS − 1, over 255: the planted rows (255) stand out. */
export const NOISE_LEVELS = 64;
/** Rows of a CIFAR-10 image lit for its class: 3 per class, from row 3·class. */
export const MARK_ROWS = 3;
/** Words at the end of an IMDB review drawn from its label's band, and the band's width. */
export const MARK_WORDS = 20;
export const BAND = 50;

/** The real sizes: 50,000/10,000 images and 25,000/25,000 reviews. */
export const FULL_SIZES = { cifar10: { train: 50_000, test: 10_000 }, imdb: { train: 25_000, test: 25_000 } } as const;

function int(rng: SeededRandom, below: number): number {
  return Math.floor(rng.next() * below);
}

function imageSplit(rng: SeededRandom, count: number): ImageSplit {
  const images = new Float32Array(count * CIFAR10.imageSize);
  // Multiples of 1/255, like real pixels, so value-dependent fast paths behave as they would.
  for (let i = 0; i < images.length; i++) images[i] = Math.fround(int(rng, NOISE_LEVELS) / 255);
  const labels = Int32Array.from({ length: count }, () => int(rng, CIFAR10.classes));
  const { channels, height, width, imageSize } = CIFAR10;
  for (let n = 0; n < count; n++) {
    const first = MARK_ROWS * labels[n]!;
    for (let c = 0; c < channels; c++) {
      const start = n * imageSize + (c * height + first) * width;
      images.fill(1, start, start + MARK_ROWS * width);
    }
  }
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
  // The review's last words move into its label's band (their offset in it kept): no extra draws.
  for (let i = 0; i < count; i++) {
    for (let t = L - MARK_WORDS; t < L; t++) {
      const w = sequences[i * L + t]!;
      sequences[i * L + t] = IMDB.indexFrom + BAND * labels[i]! + ((w - IMDB.indexFrom) % BAND);
    }
  }
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
