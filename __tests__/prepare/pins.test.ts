import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { ensurePinnedInstall, installKey } from "../../src/prepare/pins.js";
import { tempDir } from "../helpers.js";

/**
 * A pins folder with a repository's own builds of a framework: one packed with
 * `npm pack` into a tarball beside the pins, one a folder npm links to.
 */
async function localPins(dir?: string): Promise<string> {
  dir ??= await tempDir();
  const build = join(dir, "my-build");
  await mkdir(build, { recursive: true });
  await writeFile(join(build, "package.json"), JSON.stringify({ name: "my-framework", version: "0.0.1-local" }));
  await writeFile(join(build, "index.js"), "module.exports = { built: 'here' };\n");
  const pins = join(dir, "repo", ".rosetta-bench", "frameworks");
  await mkdir(pins, { recursive: true });
  const packed = await tempDir();
  await writeFile(join(packed, "package.json"), JSON.stringify({ name: "my-packed", version: "0.0.2-local" }));
  await writeFile(join(packed, "index.js"), "module.exports = { packed: true };\n");
  const npm = (cwd: string, args: string[]) =>
    execFileSync("npm", [...args, "--ignore-scripts", "--offline", "--no-audit", "--no-fund"], { cwd, stdio: "pipe" });
  npm(packed, ["pack", "--pack-destination", pins]);
  await writeFile(
    join(pins, "package.json"),
    JSON.stringify({
      name: "pins",
      private: true,
      dependencies: { "my-framework": "file:../../../my-build", "my-packed": "file:my-packed-0.0.2-local.tgz" },
    }),
  );
  npm(pins, ["install", "--package-lock-only"]);
  return pins;
}

describe("framework pins", () => {
  it("key an install by lockfile, flavour, platform, architecture and Node ABI", () => {
    const runtime = { platform: "linux", arch: "x64", abi: "115" };
    const a = installKey("lock A", "cpu", runtime);
    expect(a).toMatch(/^[0-9a-f]{16}-linux-x64-abi115-cpu$/);
    expect(installKey("lock B", "cpu", runtime)).not.toBe(a);
    expect(installKey("lock A", "cuda12", runtime)).not.toBe(a);
    expect(installKey("lock A", "cpu", { ...runtime, abi: "127" })).not.toBe(a);
    expect(installKey("lock A", "cpu", { ...runtime, arch: "arm64" })).not.toBe(a);
  });

  it("install file: specs (a packed tarball, a linked folder) exactly as locked, once, even when two jobs install the same key at once, and reuse it warm", async () => {
    const pins = await localPins();
    const cache = await tempDir();
    const logs: string[] = [];
    const [one, two] = await Promise.all([
      ensurePinnedInstall(pins, "cpu", (m) => logs.push(m), cache),
      ensurePinnedInstall(pins, "cpu", (m) => logs.push(m), cache),
    ]);
    expect(one.root).toBe(two.root);
    expect(await readdir(cache)).toEqual([one.root.split("/").pop()]);
    const installed = join(one.root, "node_modules", "my-framework");
    expect(JSON.parse(await readFile(join(installed, "package.json"), "utf8"))).toMatchObject({
      version: "0.0.1-local",
    });
    // Both jobs really built (two npm processes at once); one copy won, the other was discarded.
    expect(logs.filter((l) => l.startsWith("Installing the framework pins"))).toHaveLength(2);
    // Loaded the way the worker loads them: resolved from the install's folder.
    const load = createRequire(join(one.root, "package.json"));
    expect(load("my-framework")).toEqual({ built: "here" });
    expect(load("my-packed")).toEqual({ packed: true });
    const lock = JSON.parse(await readFile(join(one.root, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string; integrity?: string }>;
    };
    expect(lock.packages["node_modules/my-packed"]?.version).toBe("0.0.2-local");
    expect(lock.packages["node_modules/my-packed"]?.integrity).toMatch(/^sha512-/);

    const warm = await ensurePinnedInstall(pins, "cpu", (m) => logs.push(`warm: ${m}`), cache);
    expect(warm).toEqual({ root: one.root, warm: true });
    expect(logs.filter((l) => l.startsWith("warm:"))).toEqual([]);
    // The GPU flavour is another install: a CPU-first install never stands in for it.
    expect(installKey("lock", "cuda12")).not.toBe(installKey("lock", "cpu"));
  });

  it("keys a linked folder by where it is: the same pins checked out elsewhere are another install", async () => {
    const cache = await tempDir();
    const a = await ensurePinnedInstall(await localPins(), "cpu", () => undefined, cache);
    const b = await ensurePinnedInstall(await localPins(), "cpu", () => undefined, cache);
    expect(b.root).not.toBe(a.root);
    expect(b.warm).toBe(false);
  });

  it("refuses a tarball that is not the one locked, leaving nothing in the cache", async () => {
    const pins = await localPins();
    const other = await tempDir();
    await writeFile(join(other, "package.json"), JSON.stringify({ name: "my-packed", version: "0.0.2-local" }));
    await writeFile(join(other, "index.js"), "module.exports = { packed: 'tampered' };\n");
    execFileSync("npm", ["pack", "--pack-destination", pins, "--offline"], { cwd: other, stdio: "pipe" });
    const cache = await tempDir();
    // A fresh npm cache: the locked tarball is not already in it under its integrity.
    const npmCache = process.env.npm_config_cache;
    process.env.npm_config_cache = await tempDir();
    try {
      await expect(ensurePinnedInstall(pins, "cpu", () => undefined, cache)).rejects.toThrow(
        /npm ci .*failed: .*EINTEGRITY/s,
      );
    } finally {
      if (npmCache === undefined) delete process.env.npm_config_cache;
      else process.env.npm_config_cache = npmCache;
    }
    expect(await readdir(cache)).toEqual([]);
  });

  it("save a fresh install to the shared cache, and restore it on a fresh runner without npm", async () => {
    const pins = await localPins();
    const shared = await tempDir();
    const calls: string[] = [];
    // The Actions cache, minus the network: folders copied in and out by key.
    const service = {
      restore: async (paths: string[], key: string) => {
        calls.push(`restore ${key}`);
        if (!existsSync(join(shared, key))) return false;
        await cp(join(shared, key), paths[0]!, { recursive: true });
        return true;
      },
      save: async (paths: string[], key: string) => {
        calls.push(`save ${key}`);
        await cp(paths[0]!, join(shared, key), { recursive: true });
        return true;
      },
    };
    const first = await ensurePinnedInstall(pins, "cpu", () => undefined, await tempDir(), service);
    expect(first.warm).toBe(false);
    const key = `rosetta-bench-frameworks-${first.root.split("/").pop()}`;
    expect(calls).toEqual([`restore ${key}`, `save ${key}`]);

    const logs: string[] = [];
    const fresh = await ensurePinnedInstall(pins, "cpu", (m) => logs.push(m), await tempDir(), service);
    expect(fresh.warm).toBe(true);
    expect(logs).toEqual([`Framework pins restored from the Actions cache (${key})`]);
    expect(existsSync(join(fresh.root, "node_modules", "my-framework", "index.js"))).toBe(true);
  });

  it("refuses pins without a lockfile, saying how to make one", async () => {
    const pins = await tempDir();
    await writeFile(join(pins, "package.json"), "{}");
    await expect(ensurePinnedInstall(pins, "cpu", () => undefined, await tempDir())).rejects.toThrow(
      `'${join(pins, "package-lock.json")}' is missing: framework pins need a lockfile`,
    );
  });
});
