/**
 * Installs the pinned frameworks beside the action on a runner. An action is
 * checked out without node_modules; dist/ bundles everything but the frameworks,
 * which are native or large and stay pinned in package.json and the lockfile.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { FRAMEWORKS, type FrameworkId } from "../core/catalog.js";
import type { Device } from "../core/protocol.js";
import { ensurePinnedInstall, installCacheRoot, type InstallCache } from "./pins.js";

const execFileAsync = promisify(execFile);

/** The root packages that must resolve for the bundled worker to load its frameworks. */
const INSTALLED_MARKERS = [
  FRAMEWORKS.tfjs.package,
  "@tensorflow/tfjs-backend-wasm",
  FRAMEWORKS["onnxruntime-node"].package,
];

export function frameworksInstalled(root: string): boolean {
  return INSTALLED_MARKERS.every((pkg) => existsSync(join(root, "node_modules", pkg, "package.json")));
}

async function npm(root: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  try {
    await execFileAsync("npm", [...args, "--no-audit", "--no-fund"], { cwd: root, env, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const tail = (e.stderr ?? "").trim().split("\n").slice(-5).join("\n");
    throw new Error(`npm ${args.join(" ")} in ${root} failed: ${tail || e.message}`, { cause: err });
  }
}

/**
 * The native tfjs flavours are not in the tool's own lockfile: their install
 * script downloads libtensorflow, which fails where there is no network beyond
 * the npm registry, and a run that does not select them should not pay for it.
 * Each is pinned and locked in its own folder instead (workloads/native-pins/,
 * at @tensorflow/tfjs's version: the flavours are released together), and
 * installed like a repository's framework pins when a run selects it: once per
 * lockfile into the cache, with its native part built by name.
 */
export const NATIVE_FLAVOURS: Partial<Record<FrameworkId, string>> = {
  "tfjs-node": FRAMEWORKS["tfjs-node"].package,
  "tfjs-node-gpu": FRAMEWORKS["tfjs-node-gpu"].package,
};

/** The tool's own locked pins of a native tfjs flavour. */
export const nativePinsDir = (root: string, id: FrameworkId): string => join(root, "workloads", "native-pins", id);

/** A checkout with its development dependencies installed (a contributor's, or the tests'). */
export function isDevelopmentCheckout(root: string): boolean {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    devDependencies?: Record<string, string>;
  };
  return Object.keys(manifest.devDependencies ?? {}).some((pkg) =>
    existsSync(join(root, "node_modules", pkg, "package.json")),
  );
}

/** Where onnxruntime-node keeps its CUDA execution provider once fetched. */
function onnxCudaProviderPresent(root: string): boolean {
  const dir = join(root, "node_modules", "onnxruntime-node", "bin");
  const found = (d: string): boolean =>
    existsSync(d) &&
    readdirSync(d, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? found(join(d, e.name)) : e.name.startsWith("libonnxruntime_providers_cuda"),
    );
  return found(dir);
}

/**
 * Runs `npm ci --omit=dev` in the action's folder when the frameworks are not
 * there yet, then installs the selected native tfjs flavours from their locked
 * pins into the cache, returning where each is (its workers load it from there). Install scripts
 * are off (the repository's .npmrc sets ignore-scripts, against install-script
 * attacks), so each native step is run here, by name: onnxruntime-node's
 * install fetches its CUDA provider when the run targets a GPU
 * (ONNXRUNTIME_NODE_INSTALL=cuda12); on the CPU its bundled provider is enough.
 * A native flavour that cannot install is a warning: its cases then report
 * themselves unavailable, with the reason, and the others run.
 */
export async function ensureFrameworksInstalled(
  root: string,
  device: Device,
  frameworks: readonly FrameworkId[],
  log: { info(message: string): void; warning(message: string): void },
  cacheRoot: string = installCacheRoot(),
  shared?: InstallCache,
): Promise<Partial<Record<FrameworkId, string>>> {
  const env = { ...process.env };
  if (!frameworksInstalled(root)) {
    log.info(`Installing the pinned frameworks in ${root} (npm ci --omit=dev --ignore-scripts)`);
    const started = performance.now();
    await npm(root, ["ci", "--omit=dev", "--ignore-scripts"], env);
    log.info(`Frameworks installed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  if (device === "gpu" && frameworks.includes("onnxruntime-node") && !onnxCudaProviderPresent(root)) {
    const pkgDir = join(root, "node_modules", "onnxruntime-node");
    log.info("Fetching onnxruntime-node's CUDA provider (its script/install with ONNXRUNTIME_NODE_INSTALL=cuda12)");
    await execFileAsync(process.execPath, [join("script", "install.js")], {
      cwd: pkgDir,
      env: { ...env, ONNXRUNTIME_NODE_INSTALL: "cuda12" },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: unknown) =>
      log.warning(
        `onnxruntime-node's CUDA provider could not be fetched; its GPU cases will be reported unavailable: ${String(err)}`,
      ),
    );
  }
  const roots: Partial<Record<FrameworkId, string>> = {};
  const development = isDevelopmentCheckout(root);
  for (const id of frameworks) {
    const pkg = NATIVE_FLAVOURS[id];
    if (!pkg || existsSync(join(root, "node_modules", pkg, "package.json"))) continue;
    if (development) {
      // A contributor's checkout (or the tests') runs what it has: no libtensorflow download on its behalf.
      log.info(
        `${pkg} is not installed in this development checkout; its cases will be reported unavailable ` +
          `(list it in the framework pins of the repository under test: see 'rosetta-bench frameworks init')`,
      );
      continue;
    }
    try {
      const install = await ensurePinnedInstall(nativePinsDir(root, id), "cpu", (m) => log.info(m), cacheRoot, shared);
      if (existsSync(join(install.root, "node_modules", pkg, "package.json"))) roots[id] = install.root;
      else
        log.warning(
          `${pkg} could not build its native part; its cases will be reported unavailable (remove ${install.root} to try again)`,
        );
    } catch (err) {
      log.warning(`${pkg} could not be installed; its cases will be reported unavailable: ${String(err)}`);
    }
  }
  return roots;
}
