/**
 * The formulas fixtures/data/make-fixtures.py wrote the dataset fixtures with
 * (see fixtures/README.md), so tests check every value, in order.
 */
import { readFile } from "node:fs/promises";
import { ROOT } from "../process.js";

export const FIXTURES = `${ROOT}/fixtures/data`;

/** Records per file: files 1–5 are data_batch_1..5, file 6 is test_batch. */
export const CIFAR_RECORDS: Record<number, number> = { 1: 7, 2: 6, 3: 5, 4: 4, 5: 3, 6: 5 };

export const cifarLabel = (f: number, r: number) => ((f * 100 + r) * 7) % 10;
export const cifarPixel = (f: number, r: number, c: number, y: number, x: number) =>
  ((f * 100 + r) * 13 + c * 101 + y * 7 + x * 3) % 256;

/** [file, record] of each image of a split, in the order the reference reads them. */
export function cifarOrder(split: "train" | "test"): Array<[number, number]> {
  const files = split === "train" ? [1, 2, 3, 4, 5] : [6];
  return files.flatMap((f) => Array.from({ length: CIFAR_RECORDS[f]! }, (_, r): [number, number] => [f, r]));
}

export interface ImdbValues {
  x_train: number[][];
  y_train: number[];
  x_test: number[][];
  y_test: number[];
}

/** The raw reviews and labels written into the .npz fixtures. */
export async function imdbValues(): Promise<ImdbValues> {
  return JSON.parse(await readFile(`${FIXTURES}/imdb-values.json`, "utf8")) as ImdbValues;
}

export const fixture = (name: string) => readFile(`${FIXTURES}/${name}`);
