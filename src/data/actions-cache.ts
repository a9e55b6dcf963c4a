/** The Actions cache service behind the DataCacheService boundary (the action only). */
import * as cache from "@actions/cache";
import type { DataCacheService } from "./acquire.js";

export function actionsCacheService(): DataCacheService {
  return {
    isAvailable: () => cache.isFeatureAvailable(),
    restore: async (paths, key) => (await cache.restoreCache(paths, key)) !== undefined,
    // saveCache reports most failures (another job reserved the key, a server error, a read-only
    // token) by logging them and returning -1, not by throwing.
    save: async (paths, key) => (await cache.saveCache(paths, key)) !== -1,
  };
}
