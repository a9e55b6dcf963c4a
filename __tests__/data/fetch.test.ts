import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatasetFile } from "../../src/data/datasets.js";
import { ensureDataset, retryDelayMs, type FetchOptions } from "../../src/data/fetch.js";
import type { DataReporter, DownloadProgress } from "../../src/data/progress.js";
import { tempDir } from "../helpers.js";
import { fixture } from "./fixture-values.js";
import { startLoopbackServer, type LoopbackServer } from "./loopback-server.js";

const hex = (algorithm: string, bytes: Uint8Array) => createHash(algorithm).update(bytes).digest("hex");
const NO_WAIT = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

let server: LoopbackServer;
let archive: Buffer;
let entry: DatasetFile;
let dir: string;
let events: { info: string[]; warning: string[]; progress: DownloadProgress[] };

function recorder(): DataReporter {
  return {
    info: (m) => events.info.push(m),
    warning: (m) => events.warning.push(m),
    downloadProgress: (p) => events.progress.push(p),
  };
}

const options = (extra: Partial<FetchOptions> = {}): FetchOptions => ({
  dataDir: dir,
  retry: NO_WAIT,
  reporter: recorder(),
  ...extra,
});

beforeEach(async () => {
  archive = await fixture("cifar-10-binary.tar.gz");
  server = await startLoopbackServer({
    "/kriz/cifar-10-binary.tar.gz": archive,
    "/mirror/datasets/cifar-10-binary.tar.gz": archive,
  });
  // The real catalog entry's shape, pointed at the loopback server and pinned to the fixture.
  entry = {
    id: "cifar10",
    title: "CIFAR-10 fixture",
    file: "cifar-10-binary.tar.gz",
    url: `${server.url}/kriz/cifar-10-binary.tar.gz`,
    sha256: hex("sha256", archive),
    md5: hex("md5", archive),
    bytes: archive.length,
  };
  dir = join(await tempDir(), "data");
  events = { info: [], warning: [], progress: [] };
});
afterEach(() => server.close());

describe("ensureDataset against a loopback server", () => {
  it("downloads, verifies and publishes the file, reporting progress up to the last byte", async () => {
    const fetched = await ensureDataset(entry, options());
    expect(fetched).toEqual({
      id: "cifar10",
      path: join(dir, "cifar-10-binary.tar.gz"),
      origin: "download",
      sha256: entry.sha256,
      bytes: archive.length,
    });
    expect(await readFile(fetched.path)).toEqual(archive);
    expect(await readdir(dir)).toEqual(["cifar-10-binary.tar.gz"]);
    expect(server.requests).toEqual(["/kriz/cifar-10-binary.tar.gz"]);
    const received = events.progress.map((p) => p.receivedBytes);
    expect(received[0]).toBe(0);
    expect(received.at(-1)).toBe(archive.length);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(events.progress.at(-1)).toMatchObject({ file: "cifar-10-binary.tar.gz", totalBytes: archive.length });
  });

  it("serves a second fetch from the data folder without any request", async () => {
    await ensureDataset(entry, options());
    const again = await ensureDataset(entry, options());
    expect(again.origin).toBe("cache");
    expect(server.requests).toHaveLength(1);
  });

  it("rejects a corrupt download in one line naming the file and both digests, leaving the folder clean", async () => {
    server.plan("/kriz/cifar-10-binary.tar.gz", "corrupt");
    const corrupt = Uint8Array.from(archive);
    corrupt[corrupt.length >> 1] = corrupt[corrupt.length >> 1]! ^ 0xff;
    await expect(ensureDataset(entry, options())).rejects.toThrow(
      `cifar-10-binary.tar.gz downloaded from ${entry.url} does not match its pinned SHA-256: ` +
        `expected ${entry.sha256}, got ${hex("sha256", corrupt)} (${archive.length} bytes); the file was not kept`,
    );
    expect(await readdir(dir)).toEqual([]);
    // The same server would send the same wrong bytes: no retry.
    expect(server.requests).toHaveLength(1);
  });

  it("checks the published MD5 as well as the SHA-256", async () => {
    await expect(ensureDataset({ ...entry, md5: "0".repeat(32) }, options())).rejects.toThrow(
      `does not match its published MD5: expected ${"0".repeat(32)}, got ${entry.md5}`,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it("retries a download whose connection closes mid-body, and keeps nothing of the broken one", async () => {
    server.plan("/kriz/cifar-10-binary.tar.gz", "cut");
    const fetched = await ensureDataset(entry, options());
    expect(fetched.origin).toBe("download");
    expect(server.requests).toHaveLength(2);
    expect(events.warning).toEqual([
      expect.stringMatching(
        /^downloading cifar-10-binary\.tar\.gz failed \(try 1 of 3\): interrupted after \d+ bytes: .+; retrying in 0\.0 s$/,
      ),
    ]);
    expect(events.progress.at(-1)).toMatchObject({ attempt: 2, receivedBytes: archive.length });
    expect(await readdir(dir)).toEqual(["cifar-10-binary.tar.gz"]);
  });

  it("gives up after the last try with the reason, leaving no file and no temp file", async () => {
    server.plan("/kriz/cifar-10-binary.tar.gz", "cut", 503, "cut");
    await expect(ensureDataset(entry, options())).rejects.toThrow(
      new RegExp(
        `^downloading cifar-10-binary\\.tar\\.gz from ${entry.url} failed after 3 tries: interrupted after \\d+ bytes`,
      ),
    );
    expect(server.requests).toHaveLength(3);
    expect(await readdir(dir)).toEqual([]);
  });

  it("aborts a stalled download and retries it", async () => {
    server.plan("/kriz/cifar-10-binary.tar.gz", "stall");
    const fetched = await ensureDataset(entry, options({ stallTimeoutMs: 200 }));
    expect(fetched.origin).toBe("download");
    expect(events.warning[0]).toMatch(/interrupted after \d+ bytes: no data for 200 ms; retrying/);
  });

  it("does not retry a missing file (HTTP 404)", async () => {
    await expect(ensureDataset({ ...entry, url: `${server.url}/nowhere/x.tar.gz` }, options())).rejects.toThrow(
      `downloading cifar-10-binary.tar.gz from ${server.url}/nowhere/x.tar.gz failed: HTTP 404 Not Found`,
    );
    expect(server.requests).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it("downloads from the mirror's base URL, never from the official host", async () => {
    const official = { ...entry, url: "http://127.0.0.1:9/unreachable/cifar-10-binary.tar.gz" };
    const fetched = await ensureDataset(official, options({ mirror: `${server.url}/mirror/datasets/` }));
    expect(fetched.origin).toBe("download");
    expect(server.requests).toEqual(["/mirror/datasets/cifar-10-binary.tar.gz"]);
    expect(events.info[0]).toBe(
      `Downloading CIFAR-10 fixture from ${server.url}/mirror/datasets/cifar-10-binary.tar.gz`,
    );
  });

  it("clears temp files a killed download left behind, but not one still being written", async () => {
    await mkdir(dir, { recursive: true });
    const stale = join(dir, "cifar-10-binary.tar.gz.4242.0badc0de.part");
    const live = join(dir, "cifar-10-binary.tar.gz.4343.0c0ffee0.part");
    await writeFile(stale, "half a download");
    await writeFile(live, "a download in progress");
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(stale, hourAgo, hourAgo);
    await ensureDataset(entry, options());
    expect((await readdir(dir)).sort()).toEqual([
      "cifar-10-binary.tar.gz",
      "cifar-10-binary.tar.gz.4343.0c0ffee0.part",
    ]);
  });

  it("replaces a corrupt copy in the data folder, with a warning", async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "cifar-10-binary.tar.gz"), "truncated");
    const fetched = await ensureDataset(entry, options());
    expect(fetched.origin).toBe("download");
    expect(events.warning[0]).toMatch(
      /cifar-10-binary\.tar\.gz' does not match its pinned SHA-256: .*; downloading it again$/,
    );
    expect(await readFile(fetched.path)).toEqual(archive);
  });
});

describe("offline mode", () => {
  it("uses a verified local copy and makes no request", async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "cifar-10-binary.tar.gz"), archive);
    const fetched = await ensureDataset(entry, options({ offline: true }));
    expect(fetched.origin).toBe("cache");
    expect(server.requests).toEqual([]);
  });

  it("says what is missing and how to provide it, without a request", async () => {
    await expect(ensureDataset(entry, options({ offline: true }))).rejects.toThrow(
      `offline: '${join(dir, "cifar-10-binary.tar.gz")}' does not exist; accepted: a copy of cifar-10-binary.tar.gz ` +
        `(SHA-256 ${entry.sha256}) in that folder, for example fetched with 'rosetta-bench data fetch --data-dir DIR' on a machine with network`,
    );
    expect(server.requests).toEqual([]);
  });

  it("refuses a local copy that does not match, and leaves it for the user to inspect", async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "cifar-10-binary.tar.gz"), "not it");
    await expect(ensureDataset(entry, options({ offline: true }))).rejects.toThrow(
      `offline: '${join(dir, "cifar-10-binary.tar.gz")}' does not match its pinned SHA-256: expected ${entry.sha256}, got ${hex("sha256", Buffer.from("not it"))} (6 bytes)`,
    );
    expect(await readdir(dir)).toEqual(["cifar-10-binary.tar.gz"]);
    expect(server.requests).toEqual([]);
  });
});

describe("retry backoff", () => {
  it("doubles from the base delay up to the cap", () => {
    const policy = { attempts: 6, baseDelayMs: 2000, maxDelayMs: 10_000 };
    expect([2, 3, 4, 5, 6].map((a) => retryDelayMs(policy, a))).toEqual([2000, 4000, 8000, 10_000, 10_000]);
  });
});
