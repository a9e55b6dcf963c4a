/**
 * Where a workload's data came from. Synthetic data has the real shapes and
 * types but no meaning: its timings are real timings, its accuracies are not,
 * and it must never be compared with results on the real data.
 */
import type { DatasetId } from "./datasets.js";

export type DataProvenance =
  { kind: "real"; dataset: DatasetId; file: string } | { kind: "synthetic"; dataset: DatasetId; seed: number };

const NAMES: Record<DatasetId, string> = { cifar10: "CIFAR-10", imdb: "IMDB" };

/** A label for logs and reports; synthetic data says so in capitals. */
export function describeProvenance(p: DataProvenance): string {
  switch (p.kind) {
    case "real":
      return `${NAMES[p.dataset]} (${p.file})`;
    case "synthetic":
      return `SYNTHETIC ${NAMES[p.dataset]}-shaped data (seed ${p.seed}): timing only, not comparable with real-data results`;
  }
}
