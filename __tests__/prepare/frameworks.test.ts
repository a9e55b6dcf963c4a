import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { flavourInstallArgs } from "../../src/prepare/frameworks.js";
import { tempDir } from "../helpers.js";

/** npm, offline and quiet, on local packages only. */
const npm = (cwd: string, args: string[]) =>
  execFileSync("npm", [...args, "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd,
    stdio: "pipe",
    encoding: "utf8",
  });

async function localPackage(dir: string, name: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0" }));
  await writeFile(join(dir, "index.js"), "module.exports = 1;\n");
}

/** A folder like the action's: one dependency, one development dependency, installed as `mode` says. */
async function actionFolder(mode: "development" | "production"): Promise<{ root: string; flavour: string }> {
  const root = await tempDir();
  await localPackage(join(root, "packages", "runtime-dep"), "runtime-dep");
  await localPackage(join(root, "packages", "dev-tool"), "dev-tool");
  await localPackage(join(root, "packages", "flavour"), "flavour");
  const flavour = npm(join(root, "packages", "flavour"), ["pack", "--pack-destination", root]).trim();
  await writeFile(
    join(root, "package.json"),
    JSON.stringify({
      name: "action",
      version: "1.0.0",
      dependencies: { "runtime-dep": "file:packages/runtime-dep" },
      devDependencies: { "dev-tool": "file:packages/dev-tool" },
    }),
  );
  npm(root, mode === "development" ? ["install"] : ["install", "--omit=dev"]);
  return { root, flavour: join(root, flavour) };
}

const installed = (root: string, pkg: string) => existsSync(join(root, "node_modules", pkg, "package.json"));

describe("adding a native flavour to the action's folder (real npm, local packages)", () => {
  it("keeps a development checkout's development dependencies", async () => {
    const { root, flavour } = await actionFolder("development");
    expect(installed(root, "dev-tool")).toBe(true);
    const args = flavourInstallArgs(root, flavour);
    expect(args).not.toContain("--omit=dev");
    npm(root, args);
    expect(installed(root, "flavour")).toBe(true);
    expect(installed(root, "dev-tool")).toBe(true);
    expect(installed(root, "runtime-dep")).toBe(true);
  });

  it("adds no development dependency to a runner's production install", async () => {
    const { root, flavour } = await actionFolder("production");
    expect(installed(root, "dev-tool")).toBe(false);
    const args = flavourInstallArgs(root, flavour);
    expect(args).toContain("--omit=dev");
    npm(root, args);
    expect(installed(root, "flavour")).toBe(true);
    expect(installed(root, "dev-tool")).toBe(false);
    expect(installed(root, "runtime-dep")).toBe(true);
  });

  it("(why) npm removes the development dependencies when told --omit=dev in a development checkout", async () => {
    const { root, flavour } = await actionFolder("development");
    npm(root, ["install", "--no-save", "--omit=dev", flavour]);
    expect(installed(root, "flavour")).toBe(true);
    expect(installed(root, "dev-tool")).toBe(false);
  });
});
