/** rosetta-bench data fetch, and the datasets a run needs before it starts. */
import { DATASETS, DATASET_IDS, datasetsForRun } from "../../data/datasets.js";
import { ensureDatasets } from "../../data/fetch.js";
import type { Config } from "../../configure/config.js";
import { readList } from "../../configure/readers.js";
import { terminalDataReporter } from "../progress-data.js";
import type { Io } from "../io.js";

function fetchOptions(config: Config, io: Io) {
  return {
    dataDir: config.dataDir,
    ...(config.dataMirror ? { mirror: config.dataMirror } : {}),
    offline: config.offline,
    reporter: terminalDataReporter(io.stderr),
  };
}

/** Fetches and verifies the datasets the run's real-data training cases read, before any case starts. */
export async function ensureRunData(config: Config, io: Io): Promise<void> {
  const ids = datasetsForRun(config.workloads, config.profile, config.syntheticData);
  if (ids.length)
    await ensureDatasets(
      ids.map((id) => DATASETS[id]),
      fetchOptions(config, io),
    );
}

export async function fetchData(config: Config, datasets: string | undefined, io: Io): Promise<number> {
  const ids = datasets === undefined ? [...DATASET_IDS] : readList("--datasets", datasets, DATASET_IDS);
  const fetched = await ensureDatasets(
    ids.map((id) => DATASETS[id]),
    fetchOptions(config, io),
  );
  for (const f of fetched) {
    const how = f.origin === "cache" ? "already there" : "downloaded";
    io.stdout.write(`${f.id}: ${f.path} (${how}, ${f.bytes} bytes, SHA-256 ${f.sha256} verified)\n`);
  }
  return 0;
}
