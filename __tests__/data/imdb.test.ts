import { readFileSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IMDB, loadImdb, parseImdbNpz, preprocessReviews } from "../../src/data/imdb.js";
import type { RaggedInts } from "../../src/data/pickle.js";
import { tempDir } from "../helpers.js";
import { FIXTURES, fixture, imdbValues } from "./fixture-values.js";

/** Raw reviews as the parser hands them over. */
function ragged(reviews: number[][]): RaggedInts {
  const lengths = Int32Array.from(reviews, (r) => r.length);
  const starts = new Int32Array(reviews.length);
  for (let i = 1; i < reviews.length; i++) starts[i] = starts[i - 1]! + lengths[i - 1]!;
  return { values: Int32Array.from(reviews.flat()), starts, lengths, count: reviews.length };
}

const FLOAT_X = readFileSync(join(FIXTURES, "imdb-float-x.npz"));
const row = (out: Int32Array, i: number) => Array.from(out.subarray(i * 150, (i + 1) * 150));
const padded = (tokens: number[]) => [...tokens, ...new Array<number>(150 - tokens.length).fill(0)];
const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe("IMDB preprocessing (the reference's, docs/workloads.md §2)", () => {
  it("starts with 1, shifts words by 3 and pads a short review at the end", () => {
    expect(row(preprocessReviews(ragged([[1, 14, 22, 16, 43]])), 0)).toEqual(padded([1, 4, 17, 25, 19, 46]));
  });

  it("turns every index of 30,000 and above (after the shift) into 2", () => {
    const out = preprocessReviews(ragged([[29996, 29997, 29998, 88583, 5]]));
    expect(row(out, 0)).toEqual(padded([1, 29999, 2, 2, 2, 8]));
  });

  it("keeps the last 150 tokens of a long review, so its start token is lost", () => {
    const words = range(200, (i) => i + 10);
    // [1, 13, 14, ..., 212] is 201 tokens; the last 150 are words 50..199 shifted.
    expect(row(preprocessReviews(ragged([words])), 0)).toEqual(range(150, (i) => 50 + i + 10 + 3));
  });

  it("fills the row exactly at 149 words and drops only the start token at 150", () => {
    const out = preprocessReviews(ragged([range(149, (i) => i), range(150, (i) => i)]));
    expect(row(out, 0)).toEqual([1, ...range(149, (i) => i + 3)]);
    expect(row(out, 1)).toEqual(range(150, (i) => i + 3));
  });

  it("makes an empty review the start token alone", () => {
    expect(row(preprocessReviews(ragged([[]])), 0)).toEqual(padded([1]));
  });

  it("refuses a negative word index, naming the review", () => {
    expect(() => preprocessReviews(ragged([[1], [4, -1]]), "x_train")).toThrow(
      "x_train: review 1 has the negative word index -1",
    );
  });
});

describe("imdb.npz (numpy's own object-array files)", () => {
  it.each(["imdb.npz", "imdb-compressed.npz", "imdb-protocol2.npz"])(
    "%s parses to the values written into it, in order",
    async (name) => {
      const values = await imdbValues();
      const { train, test } = parseImdbNpz(await fixture(name), name);
      const expected = (reviews: number[][]) => Array.from(preprocessReviews(ragged(reviews)));
      expect(train.count).toBe(6);
      expect(test.count).toBe(3);
      expect(Array.from(train.sequences)).toEqual(expected(values.x_train));
      expect(Array.from(test.sequences)).toEqual(expected(values.x_test));
      expect(Array.from(train.labels)).toEqual(values.y_train);
      expect(Array.from(test.labels)).toEqual(values.y_test);
      expect(train.sequenceLength).toBe(IMDB.sequenceLength);
    },
  );

  it("reads the raw reviews exactly, including the 1,100-word one and every integer width", async () => {
    const values = await imdbValues();
    const { test } = parseImdbNpz(await fixture("imdb.npz"), "imdb.npz");
    // x_test[1] is [70000, 3, 65535, 65536, 255, 256]: shifted, then cut at 30,000.
    expect(row(test.sequences, 1)).toEqual(padded([1, 2, 6, 2, 2, 258, 259]));
    // x_test[0] has 1,100 words: its last 150, shifted.
    expect(row(test.sequences, 0)).toEqual(values.x_test[0]!.slice(-150).map((w) => w + 3));
    expect(row(test.sequences, 2)).toEqual(padded([1, 12]));
  });

  it("loads from a data folder and says where the data came from", async () => {
    const dir = await tempDir();
    await copyFile(join(FIXTURES, "imdb.npz"), join(dir, "imdb.npz"));
    const data = await loadImdb(dir);
    expect(data.train.count).toBe(6);
    expect(data.provenance).toEqual({ kind: "real", dataset: "imdb", file: "imdb.npz" });
    await expect(loadImdb(await tempDir())).rejects.toThrow(
      /imdb\.npz' does not exist; fetch it with 'rosetta-bench data fetch --datasets imdb'$/,
    );
  });

  it("refuses review arrays that are not object arrays of integer lists, naming the file, array and reason", async () => {
    expect(() => parseImdbNpz(FLOAT_X, "imdb-float-x.npz")).toThrow(
      "imdb-float-x.npz array 'x_train': dtype '<f8' is not supported; accepted: '|O' (object arrays of integer lists) and little-endian integers or booleans",
    );
    const dicts = await fixture("imdb-dict-x.npz");
    expect(() => parseImdbNpz(dicts, "imdb-dict-x.npz")).toThrow(
      /^imdb-dict-x\.npz array 'x_train': unsupported pickle opcode 0x7d \('}', EMPTY_DICT\) at byte \d+ of its pickle; accepted: a numpy object array of integer lists$/,
    );
  });

  it("refuses an npz without the four arrays, and a file that is not a zip", async () => {
    const trainOnly = await fixture("imdb-train-only.npz");
    expect(() => parseImdbNpz(trainOnly, "imdb-train-only.npz")).toThrow(
      "imdb-train-only.npz has no array 'x_test'; accepted: an npz with x_train, y_train, x_test, y_test",
    );
    expect(() => parseImdbNpz(FLOAT_X.subarray(0, 100), "cut.npz")).toThrow(
      "cut.npz is not a zip (.npz) file: no end-of-central-directory record",
    );
  });
});
