/**
 * Where a workload's data came from. Synthetic data has the real shapes and
 * types but no meaning: its timings are real timings, its accuracies are not,
 * and it must never be compared with results on the real data.
 */
import type { DatasetId } from "./datasets.js";

export type DataProvenance =
  { kind: "real"; dataset: DatasetId; file: string } | { kind: "synthetic"; dataset: DatasetId; seed: number };
