import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatasetFile } from "../../src/data/datasets.js";
import { DATASETS } from "../../src/data/datasets.js";
import { dataCacheKey, prepareDatasets, type DataCacheService } from "../../src/data/acquire.js";
import type { DataReporter } from "../../src/data/progress.js";
import { tempDir } from "../helpers.js";
import { fixture } from "./fixture-values.js";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

/** A cache service backed by a folder: what the Actions cache does, minus the network. */
function folderCache(root: string, available = true) {
  const calls: string[] = [];
  const service: DataCacheService = {
    isAvailable: () => available,
    restore: async (paths, key) => {
      calls.push(`restore ${key}`);
      const entries = await readdir(join(root, key)).catch(() => undefined);
      if (!entries) return false;
      for (const p of paths) await copyFile(join(root, key, basename(p)), p);
      return true;
    },
    save: async (paths, key) => {
      calls.push(`save ${key}`);
      await mkdir(join(root, key), { recursive: true });
      for (const p of paths) await copyFile(p, join(root, key, basename(p)));
      return true;
    },
  };
  return { service, calls };
}

let server: LoopbackServer;
let entry: DatasetFile;
let warnings: string[];
let reporter: DataReporter;

beforeEach(async () => {
  const npz = await fixture("imdb.npz");
  server = await startLoopbackServer({ "/imdb.npz": npz });
  entry = {
    id: "imdb",
    title: "IMDB fixture",
    file: "imdb.npz",
    url: `${server.url}/imdb.npz`,
    sha256: createHash("sha256").update(npz).digest("hex"),
    bytes: npz.length,
  };
  warnings = [];
  reporter = { info: () => undefined, warning: (m) => warnings.push(m), downloadProgress: () => undefined };
});
afterEach(() => server.close());

describe("prepareDatasets with a cache service", () => {
  it("downloads and saves on a miss, then restores on a fresh machine without a request", async () => {
    const cacheRoot = await tempDir();
    const { service, calls } = folderCache(cacheRoot);
    const key = dataCacheKey(entry);

    const first = await prepareDatasets([entry], { dataDir: await tempDir(), reporter }, service);
    expect(first[0]?.origin).toBe("download");
    expect(calls).toEqual([`restore ${key}`, `save ${key}`]);

    const fresh = await tempDir();
    const second = await prepareDatasets([entry], { dataDir: fresh, reporter }, service);
    expect(second[0]).toMatchObject({ origin: "cache", path: join(fresh, "imdb.npz") });
    expect(calls.slice(2)).toEqual([`restore ${key}`]);
    expect(server.requests).toEqual(["/imdb.npz"]);
    expect(warnings).toEqual([]);
  });

  it("goes on with a warning when the cache service is not available", async () => {
    const { service, calls } = folderCache(await tempDir(), false);
    const out = await prepareDatasets([entry], { dataDir: await tempDir(), reporter }, service);
    expect(out[0]?.origin).toBe("download");
    expect(calls).toEqual([]);
    expect(warnings).toEqual(["the Actions cache service is not available here: datasets are fetched without it"]);
  });

  it("goes on with a warning when restoring or saving fails", async () => {
    const failing: DataCacheService = {
      isAvailable: () => true,
      restore: () => Promise.reject(new Error("Cache service responded with 503")),
      save: () => Promise.reject(new Error("Unable to reserve cache")),
    };
    const out = await prepareDatasets([entry], { dataDir: await tempDir(), reporter }, failing);
    expect(out[0]?.origin).toBe("download");
    expect(warnings).toEqual([
      "restoring imdb.npz from the Actions cache failed: Cache service responded with 503; going on without it",
      "saving imdb.npz to the Actions cache failed: Unable to reserve cache",
    ]);
  });

  it("warns, rather than claiming a save, when the cache service declines it", async () => {
    const declining: DataCacheService = {
      isAvailable: () => true,
      restore: () => Promise.resolve(false),
      save: () => Promise.resolve(false),
    };
    await prepareDatasets([entry], { dataDir: await tempDir(), reporter }, declining);
    expect(warnings).toEqual([
      `imdb.npz was not saved to the Actions cache (${dataCacheKey(entry)}); the cache service said why above`,
    ]);
  });

  it("keys each file by its pinned digest", () => {
    expect(dataCacheKey(DATASETS.imdb)).toBe("rosetta-bench-data-imdb-69664113be75683a");
    expect(dataCacheKey(DATASETS.cifar10)).toBe("rosetta-bench-data-cifar10-c4a38c50a1bc5f3a");
  });
});
