/**
 * Datasets for a run: restored from a shared cache when one is available,
 * fetched and verified, and saved back after a download. The cache is a
 * boundary (the Actions cache service in the action) and only ever an
 * optimisation: when it is missing or fails, the run goes on without it.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { DatasetFile } from "./datasets.js";
import { ensureDataset, type FetchOptions, type FetchedFile } from "./fetch.js";
import { silentDataReporter } from "./progress.js";

export interface DataCacheService {
  /** False where no cache service exists (outside GitHub Actions, or a server without one). */
  isAvailable(): boolean;
  /** Restores `paths` saved under `key`; true on a hit. */
  restore(paths: string[], key: string): Promise<boolean>;
  /** Saves `paths` under `key`; false when the service declined (the reason is its own log line). */
  save(paths: string[], key: string): Promise<boolean>;
}

/** One cache entry per file, keyed by its digest: a new file version never meets an old entry. */
export function dataCacheKey(entry: DatasetFile): string {
  return `rosetta-bench-data-${entry.id}-${entry.sha256.slice(0, 16)}`;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Ensures each file in the data folder, using `cache` around the download when it can. */
export async function prepareDatasets(
  entries: readonly DatasetFile[],
  options: FetchOptions,
  cache?: DataCacheService,
): Promise<FetchedFile[]> {
  const reporter = options.reporter ?? silentDataReporter;
  let usable = false;
  if (cache && entries.length) {
    try {
      usable = cache.isAvailable();
    } catch (err) {
      reporter.warning(`the Actions cache service could not be checked: ${message(err)}`);
    }
    if (!usable) reporter.warning("the Actions cache service is not available here: datasets are fetched without it");
  }
  const out: FetchedFile[] = [];
  for (const entry of entries) {
    const path = join(options.dataDir, entry.file);
    const key = dataCacheKey(entry);
    const present = await stat(path).then(
      () => true,
      () => false,
    );
    if (cache && usable && !present) {
      try {
        if (await cache.restore([path], key)) reporter.info(`${entry.file} restored from the Actions cache (${key})`);
      } catch (err) {
        reporter.warning(`restoring ${entry.file} from the Actions cache failed: ${message(err)}; going on without it`);
      }
    }
    const fetched = await ensureDataset(entry, options);
    if (cache && usable && fetched.origin === "download") {
      try {
        if (await cache.save([path], key)) reporter.info(`${entry.file} saved to the Actions cache (${key})`);
        else
          reporter.warning(
            `${entry.file} was not saved to the Actions cache (${key}); the cache service said why above`,
          );
      } catch (err) {
        reporter.warning(`saving ${entry.file} to the Actions cache failed: ${message(err)}`);
      }
    }
    out.push(fetched);
  }
  return out;
}
