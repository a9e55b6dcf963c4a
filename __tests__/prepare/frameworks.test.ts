import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureFrameworksInstalled, nativePinsDir, NATIVE_FLAVOURS } from "../../src/prepare/frameworks.js";
import { FRAMEWORKS, type FrameworkId } from "../../src/core/catalog.js";
import { tempDir } from "../helpers.js";
import { ROOT } from "../process.js";

type Lock = { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };
const json = <T>(path: string) => JSON.parse(readFileSync(path, "utf8")) as T;

/** npm, offline and quiet, on local packages only. */
const npm = (cwd: string, args: string[]) =>
  execFileSync("npm", [...args, "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd,
    stdio: "pipe",
    encoding: "utf8",
  });

/**
 * A tool folder like the action's, its frameworks already installed, whose
 * native tfjs flavour pins name a local stand-in of the flavour: a package
 * whose install script (its "native build") writes a file, or fails.
 */
async function toolFolder(build: "builds" | "fails"): Promise<string> {
  const root = await tempDir();
  await writeFile(join(root, "package.json"), JSON.stringify({ name: "tool", version: "1.0.0" }));
  for (const pkg of ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm", "onnxruntime-node"]) {
    await mkdir(join(root, "node_modules", pkg), { recursive: true });
    await writeFile(join(root, "node_modules", pkg, "package.json"), JSON.stringify({ name: pkg, version: "1.0.0" }));
  }
  const flavour = join(root, "flavour-src");
  await mkdir(flavour);
  const script = build === "builds" ? "node -e \"require('fs').writeFileSync('built.txt','native')\"" : "exit 3";
  await writeFile(
    join(flavour, "package.json"),
    JSON.stringify({ name: "@tensorflow/tfjs-node", version: "4.22.0-local", scripts: { install: script } }),
  );
  await writeFile(join(flavour, "index.js"), "module.exports = 'tfjs-node';\n");
  const pins = nativePinsDir(root, "tfjs-node");
  await mkdir(pins, { recursive: true });
  npm(flavour, ["pack", "--pack-destination", pins]);
  await writeFile(
    join(pins, "package.json"),
    JSON.stringify({
      private: true,
      dependencies: { "@tensorflow/tfjs-node": "file:tensorflow-tfjs-node-4.22.0-local.tgz" },
    }),
  );
  npm(pins, ["install", "--package-lock-only"]);
  return root;
}

describe("the tool's own native tfjs flavours", () => {
  it.each(Object.keys(NATIVE_FLAVOURS) as FrameworkId[])(
    "%s is pinned and locked at @tensorflow/tfjs's version",
    (id) => {
      const tool = json<{ dependencies: Record<string, string> }>(join(ROOT, "package.json"));
      const pins = nativePinsDir(ROOT, id);
      const pkg = FRAMEWORKS[id].package;
      expect(json<{ dependencies: Record<string, string> }>(join(pins, "package.json")).dependencies).toEqual({
        [pkg]: tool.dependencies["@tensorflow/tfjs"],
      });
      const lock = json<Lock>(join(pins, "package-lock.json"));
      expect(lock.packages[`node_modules/${pkg}`]?.version).toBe(tool.dependencies["@tensorflow/tfjs"]);
      expect(lock.packages[`node_modules/${pkg}`]?.dependencies?.["@tensorflow/tfjs"]).toBe(
        tool.dependencies["@tensorflow/tfjs"],
      );
    },
  );

  it("installs a selected flavour from its locked pins into the cache, builds its native part by name, and reuses it without npm", async () => {
    const root = await toolFolder("builds");
    const cache = await tempDir();
    const info: string[] = [];
    const log = { info: (m: string) => info.push(m), warning: (m: string) => info.push(`warning: ${m}`) };
    const roots = await ensureFrameworksInstalled(root, "cpu", ["tfjs", "tfjs-node"], log, cache);
    expect(Object.keys(roots)).toEqual(["tfjs-node"]);
    const installed = join(roots["tfjs-node"]!, "node_modules", "@tensorflow", "tfjs-node");
    expect(await readFile(join(installed, "built.txt"), "utf8")).toBe("native");
    // The tool's own folder is untouched: the flavour lives in the cache only.
    expect(existsSync(join(root, "node_modules", "@tensorflow", "tfjs-node"))).toBe(false);
    expect(info.some((m) => m.startsWith(`Installing the framework pins of ${nativePinsDir(root, "tfjs-node")}`))).toBe(
      true,
    );

    // Warm: an npm that fails if anything calls it.
    const bin = await tempDir();
    await writeFile(join(bin, "npm"), "#!/bin/sh\nexit 97\n", { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path ?? ""}`;
    try {
      const warm: string[] = [];
      const again = await ensureFrameworksInstalled(
        root,
        "cpu",
        ["tfjs-node"],
        {
          info: (m) => warm.push(m),
          warning: (m) => warm.push(m),
        },
        cache,
      );
      expect(again).toEqual(roots);
      expect(warm).toEqual([]);
    } finally {
      process.env.PATH = path;
    }
  });

  it("a flavour whose native part cannot build is left out, saying so, and the others run", async () => {
    const root = await toolFolder("fails");
    const messages: string[] = [];
    const roots = await ensureFrameworksInstalled(
      root,
      "cpu",
      ["onnxruntime-node", "tfjs-node"],
      { info: (m) => messages.push(m), warning: (m) => messages.push(m) },
      await tempDir(),
    );
    expect(roots).toEqual({});
    expect(messages.join("\n")).toContain(
      "@tensorflow/tfjs-node could not build its native part; its cases will be reported unavailable",
    );
  });

  it("installs no native flavour on behalf of a development checkout, and says how to get one", async () => {
    const root = await toolFolder("builds");
    await writeFile(join(root, "package.json"), JSON.stringify({ name: "tool", devDependencies: { vitest: "1" } }));
    await mkdir(join(root, "node_modules", "vitest"), { recursive: true });
    await writeFile(join(root, "node_modules", "vitest", "package.json"), "{}");
    const cache = await tempDir();
    const messages: string[] = [];
    const roots = await ensureFrameworksInstalled(
      root,
      "cpu",
      ["tfjs-node"],
      { info: (m) => messages.push(m), warning: (m) => messages.push(m) },
      cache,
    );
    expect(roots).toEqual({});
    expect(messages).toEqual([
      "@tensorflow/tfjs-node is not installed in this development checkout; its cases will be reported unavailable (list it in the framework pins of the repository under test: see 'rosetta-bench frameworks init')",
    ]);
    expect(existsSync(join(cache, "frameworks"))).toBe(false);
  });
});
