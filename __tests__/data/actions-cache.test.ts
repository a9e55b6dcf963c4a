/**
 * The Actions cache service adapter against a loopback server that speaks the
 * cache service's (v1) routes and declines every reservation, as it does when
 * another job is saving the same key: @actions/cache then returns -1 instead of
 * throwing, and the adapter must not call that a save.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actionsCacheService } from "../../src/data/actions-cache.js";
import { tempDir } from "../helpers.js";

const ENV = ["ACTIONS_CACHE_URL", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_CACHE_SERVICE_V2", "ACTIONS_CACHE_MODE"];
let saved: Record<string, string | undefined>;
let requests: string[];
let close: () => Promise<void>;

beforeEach(async () => {
  saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
  requests = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => {
      res.writeHead(409, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "Cache already exists: another job is creating it" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  process.env.ACTIONS_CACHE_URL = `http://127.0.0.1:${port}/`;
  process.env.ACTIONS_RUNTIME_TOKEN = "loopback-token";
  delete process.env.ACTIONS_CACHE_SERVICE_V2;
  delete process.env.ACTIONS_CACHE_MODE;
  close = () => new Promise((r) => server.close(() => r()));
});

afterEach(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await close();
});

describe("actionsCacheService", () => {
  it("reports a save the cache service declined as not saved", async () => {
    const dir = await tempDir();
    const file = join(dir, "imdb.npz");
    await writeFile(file, "bytes");
    const service = actionsCacheService();
    expect(service.isAvailable()).toBe(true);
    expect(await service.save([file], "rosetta-bench-data-imdb-test")).toBe(false);
    expect(requests.some((r) => r.startsWith("POST") && r.includes("_apis/artifactcache/caches"))).toBe(true);
  });
});
