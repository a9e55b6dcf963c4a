/**
 * IMDB from Keras' `imdb.npz`, prepared exactly as the reference did
 * (docs/workloads.md §2): each review becomes [1] + [w + 3 for w in review];
 * any index ≥ 30,000 becomes 2; the last 150 tokens are kept; shorter
 * sequences are zero-padded at the end. The file's order is kept: training
 * reshuffles every epoch, so no load-time shuffle is needed.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DATASETS } from "./datasets.js";
import { readNpy } from "./npy.js";
import type { RaggedInts } from "./pickle.js";
import type { DataProvenance } from "./provenance.js";
import { DataError } from "./verify.js";
import { readZipEntries, readZipEntry } from "./zip.js";

export const IMDB = {
  sequenceLength: 150,
  vocabulary: 30_000,
  padToken: 0,
  startToken: 1,
  oovToken: 2,
  indexFrom: 3,
} as const;

/** Token sequences as one [count × 150] int32 array, and labels 0 (negative) or 1 (positive). */
export interface SequenceSplit {
  sequences: Int32Array;
  labels: Int32Array;
  count: number;
  sequenceLength: number;
}

export interface ImdbData {
  train: SequenceSplit;
  test: SequenceSplit;
  provenance: DataProvenance;
}

/** The reference preprocessing of raw Keras word indices into fixed-length rows. */
export function preprocessReviews(reviews: RaggedInts, label = "reviews"): Int32Array {
  const { sequenceLength: L, vocabulary, startToken, oovToken, indexFrom } = IMDB;
  const out = new Int32Array(reviews.count * L); // zero-filled: the end padding
  for (let i = 0; i < reviews.count; i++) {
    const start = reviews.starts[i]!;
    const words = reviews.lengths[i]!;
    const tokens = words + 1; // with the start token
    const dropped = Math.max(0, tokens - L); // keep the LAST L tokens
    const row = i * L;
    let j = 0;
    if (dropped === 0) out[row + j++] = startToken;
    for (let k = Math.max(0, dropped - 1); k < words; k++, j++) {
      const w = reviews.values[start + k]!;
      if (w < 0) throw new DataError(`${label}: review ${i} has the negative word index ${w}`);
      const token = w + indexFrom;
      out[row + j] = token >= vocabulary ? oovToken : token;
    }
  }
  return out;
}

function checkLabels(labels: Int32Array, label: string): Int32Array {
  const bad = labels.findIndex((v) => v !== 0 && v !== 1);
  if (bad >= 0) throw new DataError(`${label}: label ${labels[bad]} at index ${bad}; accepted: 0, 1`);
  return labels;
}

/** Parses an imdb.npz held in memory into the two preprocessed splits. */
export function parseImdbNpz(bytes: Uint8Array, label: string): { train: SequenceSplit; test: SequenceSplit } {
  const entries = readZipEntries(bytes, label);
  const array = (name: string) => {
    const entry = entries.get(`${name}.npy`);
    if (!entry)
      throw new DataError(`${label} has no array '${name}'; accepted: an npz with x_train, y_train, x_test, y_test`);
    return readNpy(readZipEntry(bytes, entry, label), `${label} array '${name}'`);
  };
  const split = (x: string, y: string): SequenceSplit => {
    const reviews = array(x);
    const labels = array(y);
    if (reviews.kind !== "ragged") {
      throw new DataError(`${label} array '${x}' has dtype '${reviews.descr}'; accepted: '|O' (lists of word indices)`);
    }
    if (labels.kind !== "int" || labels.shape.length !== 1 || labels.values.length !== reviews.ragged.count) {
      throw new DataError(`${label} array '${y}' is not one integer label per review of '${x}'`);
    }
    return {
      sequences: preprocessReviews(reviews.ragged, `${label} array '${x}'`),
      labels: checkLabels(labels.values, `${label} array '${y}'`),
      count: reviews.ragged.count,
      sequenceLength: IMDB.sequenceLength,
    };
  };
  return { train: split("x_train", "y_train"), test: split("x_test", "y_test") };
}

/**
 * Loads IMDB from the data folder (`rosetta-bench data fetch` puts and
 * verifies imdb.npz there): 25,000 training and 25,000 test reviews.
 */
export async function loadImdb(dataDir: string): Promise<ImdbData> {
  const { file } = DATASETS.imdb;
  const path = join(dataDir, file);
  const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") {
      throw new DataError(`'${path}' does not exist; fetch it with 'rosetta-bench data fetch --datasets imdb'`);
    }
    throw err;
  });
  return { ...parseImdbNpz(bytes, `'${path}'`), provenance: { kind: "real", dataset: "imdb", file } };
}
