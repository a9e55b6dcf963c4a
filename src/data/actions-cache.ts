/** The Actions cache service behind the DataCacheService boundary (the action only). */
import * as cache from "@actions/cache";
import type { DataCacheService } from "./acquire.js";

export function actionsCacheService(): DataCacheService {
  return {
    isAvailable: () => cache.isFeatureAvailable(),
    restore: async (paths, key) => (await cache.restoreCache(paths, key)) !== undefined,
    save: async (paths, key) => {
      await cache.saveCache(paths, key);
    },
  };
}
