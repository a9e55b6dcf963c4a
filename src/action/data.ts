/**
 * The action's datasets: the ones the selected workloads read are restored from
 * the Actions cache, fetched and verified into the data folder, and saved back
 * after a download. Progress goes to the log through @actions/core.
 */
import * as core from "@actions/core";
import type { Config } from "../configure/config.js";
import { actionsCacheService } from "../data/actions-cache.js";
import { DATASETS, datasetsForRun } from "../data/datasets.js";
import type { FetchedFile } from "../data/fetch.js";
import { describeDownload, progressStepper, type DataReporter } from "../data/progress.js";
import { prepareDatasets, type DataCacheService } from "../data/acquire.js";

/** Log lines at each 10% of a download: enough to see it move, not a flood. */
export function actionsDataReporter(): DataReporter {
  const step = progressStepper();
  return {
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    downloadProgress: (p) => {
      if (step(p)) core.info(describeDownload(p));
    },
  };
}

/** Does nothing when no selected workload reads a dataset. */
export async function prepareActionData(
  config: Config,
  cache: DataCacheService = actionsCacheService(),
): Promise<FetchedFile[]> {
  const ids = datasetsForRun(config.workloads, config.profile, config.syntheticData);
  if (ids.length === 0) return [];
  core.startGroup(`Datasets: ${ids.join(", ")} in ${config.dataDir}`);
  try {
    return await prepareDatasets(
      ids.map((id) => DATASETS[id]),
      {
        dataDir: config.dataDir,
        ...(config.dataMirror ? { mirror: config.dataMirror } : {}),
        offline: config.offline,
        reporter: actionsDataReporter(),
      },
      cache,
    );
  } finally {
    core.endGroup();
  }
}
