/**
 * Framework pins in the repository under test: `.rosetta-bench/frameworks/`
 * holds an ordinary npm package.json and package-lock.json naming the framework
 * packages to measure (so Dependabot and Renovate bump them), and this module
 * installs them once per lockfile, platform, architecture, Node ABI and
 * onnxruntime-node flavour into a cache folder outside the checkout, where the
 * workers load them from. A warm run starts no npm process. Two jobs installing
 * the same key at once each build aside and rename into place; the loser
 * discards its copy.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { defaultDataDir } from "../data/data-dir.js";
import type { DataCacheService } from "../data/acquire.js";
import type { Device } from "../core/protocol.js";
export { FRAMEWORKS_ROOT_ENV } from "../core/paths.js";

const execFileAsync = promisify(execFile);

/** The folder a repository keeps its pins in, relative to its root. */
export const PINS_DIR = join(".rosetta-bench", "frameworks");
/** Written last into a finished install: an install without it is not one. */
const COMPLETE = ".rosetta-bench-complete";
/** The framework packages `frameworks init` pins, from the tool's own dependencies. */
export const FRAMEWORK_PACKAGES = ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm", "onnxruntime-node"] as const;

/** onnxruntime-node's install flavour: its bundled CPU provider, or the CUDA 12 provider fetched too. */
export type OrtFlavour = "cpu" | "cuda12";
export const ortFlavourFor = (device: Device): OrtFlavour => (device === "gpu" ? "cuda12" : "cpu");

/** Where installs are cached: the runner's tool cache (it persists on self-hosted runners), else the user's. */
export function installCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.RUNNER_TOOL_CACHE
    ? join(env.RUNNER_TOOL_CACHE, "rosetta-bench", "frameworks")
    : join(defaultDataDir(env), "frameworks");
}

/** The cache key of an install: what makes two installs interchangeable. */
export function installKey(
  lockfile: string,
  flavour: OrtFlavour,
  runtime: { platform: string; arch: string; abi: string } = {
    platform: process.platform,
    arch: process.arch,
    abi: process.versions.modules,
  },
): string {
  const lock = createHash("sha256").update(lockfile).digest("hex").slice(0, 16);
  return `${lock}-${runtime.platform}-${runtime.arch}-abi${runtime.abi}-${flavour}`;
}

export interface PinnedInstall {
  /** The install's folder: its package.json, node_modules beside it. */
  root: string;
  /** True when it was there already, or restored from the shared cache (no npm ran). */
  warm: boolean;
}

/** A shared cache of folders by key (the Actions cache in the action); only ever an optimisation. */
export type InstallCache = Pick<DataCacheService, "restore" | "save">;

async function npm(cwd: string, args: string[]): Promise<void> {
  try {
    await execFileAsync("npm", [...args, "--no-audit", "--no-fund"], { cwd, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const tail = (e.stderr ?? "").trim().split("\n").slice(-5).join("\n");
    throw new Error(`npm ${args.join(" ")} in ${cwd} failed: ${tail || e.message}`, { cause: err });
  }
}

interface LockEntry {
  resolved?: string;
  link?: boolean;
  [field: string]: unknown;
}
interface Lockfile {
  packages?: Record<string, LockEntry>;
  [field: string]: unknown;
}
interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}
const SPEC_FIELDS = ["dependencies", "optionalDependencies", "devDependencies", "peerDependencies"] as const;

/** A `file:` spec's path, from the folder it was written in to `to`; other specs unchanged. */
function moveSpec(spec: string, from: string, to: string): string {
  if (!spec.startsWith("file:")) return spec;
  const target = spec.slice("file:".length);
  return `file:${isAbsolute(target) ? target : relative(to, resolve(from, target)) || "."}`;
}

function moveSpecs(fields: Record<string, unknown>, from: string, to: string): void {
  for (const field of SPEC_FIELDS) {
    const specs = fields[field] as Record<string, string> | undefined;
    if (!specs) continue;
    for (const [name, spec] of Object.entries(specs)) specs[name] = moveSpec(spec, from, to);
  }
}

/**
 * The pins' package.json and lockfile as they read from `to`, the install's
 * folder: `file:` specs (a tarball, or a folder npm links to) are written
 * relative to the pins folder, so their paths are rewritten, in the manifest and
 * in the lockfile alike, and `npm ci` installs exactly what is locked (a
 * tarball's integrity included). `to` is a sibling of the final folder, so the
 * relative paths, and npm's relative links, hold after the rename.
 */
export function relocatePins(
  manifest: Manifest,
  lock: Lockfile,
  pinsDir: string,
  to: string,
): { manifest: Manifest; lock: Lockfile; links: string[] } {
  const from = resolve(pinsDir);
  const m = structuredClone(manifest);
  moveSpecs(m, from, to);
  const l = structuredClone(lock);
  const links: string[] = [];
  const packages: Record<string, LockEntry> = {};
  for (const [key, entry] of Object.entries(l.packages ?? {})) {
    // Keys are paths from the lockfile's folder: node_modules/… inside it, anything else a linked folder.
    const outside = key !== "" && !key.startsWith("node_modules/");
    const at = outside ? relative(to, resolve(from, key)) : key;
    if (entry.link && entry.resolved) {
      links.push(resolve(from, entry.resolved));
      entry.resolved = relative(to, resolve(from, entry.resolved));
    } else if (entry.resolved?.startsWith("file:")) {
      entry.resolved = moveSpec(entry.resolved, from, to);
    }
    if (key === "") moveSpecs(entry, from, to);
    packages[at] = entry;
  }
  if (l.packages) l.packages = packages;
  return { manifest: m, lock: l, links: [...new Set(links)].sort() };
}

/**
 * Installs the pins of `pinsDir` (package.json and package-lock.json) for
 * `flavour`, or finds the install already there. `file:` specs resolve from the
 * pins folder, so a repository can measure its own build of a framework.
 */
export async function ensurePinnedInstall(
  pinsDir: string,
  flavour: OrtFlavour,
  log: (message: string) => void,
  cacheRoot: string = installCacheRoot(),
  shared?: InstallCache,
): Promise<PinnedInstall> {
  const lockPath = join(pinsDir, "package-lock.json");
  const lockfile = await readFile(lockPath, "utf8").catch(() => {
    throw new Error(
      `'${lockPath}' is missing: framework pins need a lockfile (run 'npm install --package-lock-only' in '${pinsDir}', or 'rosetta-bench frameworks init')`,
    );
  });
  const manifestPath = join(pinsDir, "package.json");
  const manifestText = await readFile(manifestPath, "utf8").catch(() => {
    throw new Error(`'${manifestPath}' is missing: framework pins are an npm package.json and its package-lock.json`);
  });
  const json = <T>(text: string, path: string): T => {
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new Error(`'${path}' is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  };
  const manifest = json<Manifest>(manifestText, manifestPath);
  const parse = () => json<Lockfile>(lockfile, lockPath);
  // Relocated to a sibling of the final folder (any sibling reads the same).
  const probe = relocatePins(manifest, parse(), pinsDir, join(cacheRoot, "x"));
  // A linked folder's content is live (npm links it), but where it is matters: a checkout elsewhere is another install.
  const key = installKey(probe.links.length ? `${lockfile}\n${probe.links.join("\n")}` : lockfile, flavour);
  const root = join(cacheRoot, key);
  if (existsSync(join(root, COMPLETE))) return { root, warm: true };
  const sharedKey = `rosetta-bench-frameworks-${key}`;
  if (shared) {
    const restored = await shared.restore([root], sharedKey).catch((err: unknown) => {
      log(`restoring the framework install from the Actions cache failed: ${String(err)}; installing instead`);
      return false;
    });
    if (restored && existsSync(join(root, COMPLETE))) {
      log(`Framework pins restored from the Actions cache (${sharedKey})`);
      return { root, warm: true };
    }
  }

  const aside = `${root}.${process.pid}.${randomBytes(4).toString("hex")}.partial`;
  await mkdir(aside, { recursive: true });
  try {
    const moved = relocatePins(manifest, parse(), pinsDir, aside);
    await writeFile(join(aside, "package.json"), JSON.stringify(moved.manifest, null, 2));
    await writeFile(join(aside, "package-lock.json"), JSON.stringify(moved.lock, null, 2));
    log(`Installing the framework pins of ${pinsDir} (${flavour}) into ${root}`);
    const started = performance.now();
    // Exactly the lockfile, scripts off; the native steps below are run by name.
    await npm(aside, ["ci", "--ignore-scripts"]);
    // Install scripts are off; the native tfjs flavours need theirs (they fetch libtensorflow): run by name.
    for (const pkg of ["@tensorflow/tfjs-node", "@tensorflow/tfjs-node-gpu"]) {
      if (!existsSync(join(aside, "node_modules", pkg, "package.json"))) continue;
      await npm(aside, ["rebuild", pkg, "--ignore-scripts=false", "--foreground-scripts"]).catch(
        async (err: unknown) => {
          await rm(join(aside, "node_modules", pkg), { recursive: true, force: true });
          log(
            `${pkg} could not build its native part, so its cases will be unavailable (remove ${root} to try again): ${String(err)}`,
          );
        },
      );
    }
    if (flavour === "cuda12" && existsSync(join(aside, "node_modules", "onnxruntime-node", "script", "install.js"))) {
      await execFileAsync(process.execPath, [join("script", "install.js")], {
        cwd: join(aside, "node_modules", "onnxruntime-node"),
        env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: "cuda12" },
        maxBuffer: 16 * 1024 * 1024,
      }).catch((err: unknown) => log(`onnxruntime-node's CUDA provider could not be fetched: ${String(err)}`));
    }
    await writeFile(join(aside, COMPLETE), `${new Date().toISOString()}\n`);
    try {
      await rename(aside, root);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Another job finished the same install first: use theirs.
      if ((code === "ENOTEMPTY" || code === "EEXIST") && existsSync(join(root, COMPLETE))) {
        await rm(aside, { recursive: true, force: true });
        return { root, warm: false };
      }
      throw err;
    }
    log(`Framework pins installed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (shared) {
      const saved = await shared.save([root], sharedKey).catch((err: unknown) => {
        log(`saving the framework install to the Actions cache failed: ${String(err)}`);
        return false;
      });
      if (saved) log(`Framework pins saved to the Actions cache (${sharedKey})`);
    }
    return { root, warm: false };
  } catch (err) {
    await rm(aside, { recursive: true, force: true });
    throw err;
  }
}

/** `rosetta-bench frameworks init`: the pins folder, from the tool's own pinned versions. */
export async function initPins(pinsDir: string, toolRoot: string, log: (message: string) => void): Promise<void> {
  if (existsSync(join(pinsDir, "package.json"))) {
    throw new Error(`'${join(pinsDir, "package.json")}' already exists; edit it, or remove the folder to start again`);
  }
  const tool = JSON.parse(await readFile(join(toolRoot, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const dependencies = Object.fromEntries(
    FRAMEWORK_PACKAGES.flatMap((p) => (tool.dependencies?.[p] ? [[p, tool.dependencies[p]]] : [])),
  );
  await mkdir(pinsDir, { recursive: true });
  const manifest = {
    name: "rosetta-bench-frameworks",
    private: true,
    description: "The framework versions rosetta-bench measures in this repository. Bumped like any dependency.",
    dependencies,
  };
  await writeFile(join(pinsDir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  await npm(pinsDir, ["install", "--package-lock-only", "--ignore-scripts"]);
  log(
    `Wrote ${join(pinsDir, "package.json")} and package-lock.json: ${Object.entries(dependencies)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
}
