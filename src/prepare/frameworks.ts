/**
 * Installs the pinned frameworks beside the action on a runner. An action is
 * checked out without node_modules; dist/ bundles everything but the frameworks,
 * which are native or large and stay pinned in package.json and the lockfile.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { FRAMEWORKS, type FrameworkId } from "../core/catalog.js";
import type { Device } from "../core/protocol.js";

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
 * The native tfjs flavours are not in the lockfile: their install script
 * downloads libtensorflow, which fails where there is no network beyond the npm
 * registry. They are installed when a run selects them, at @tensorflow/tfjs's
 * pinned version (the flavours are released together).
 */
const NATIVE_FLAVOURS: Partial<Record<FrameworkId, string>> = {
  "tfjs-node": FRAMEWORKS["tfjs-node"].package,
  "tfjs-node-gpu": FRAMEWORKS["tfjs-node-gpu"].package,
};

function pinnedTfjsVersion(root: string): string {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
  };
  const version = manifest.dependencies?.[FRAMEWORKS.tfjs.package];
  if (!version) throw new Error(`${join(root, "package.json")} pins no ${FRAMEWORKS.tfjs.package}`);
  return version;
}

/**
 * The arguments that add a native flavour to the action's folder. On a runner
 * the folder holds the production install, and `--omit=dev` keeps npm from
 * adding the development tools. In a development checkout (the tests, a
 * contributor running the action with its node_modules in place) the same
 * flag would make npm remove every development dependency, so it is left out
 * there: the flavour is added and nothing else changes.
 */
export function flavourInstallArgs(root: string, spec: string): string[] {
  return ["install", "--no-save", ...(isDevelopmentCheckout(root) ? [] : ["--omit=dev"]), spec];
}

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
 * there yet, then installs the selected native tfjs flavours. Install scripts
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
): Promise<void> {
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
  const development = isDevelopmentCheckout(root);
  for (const id of frameworks) {
    const pkg = NATIVE_FLAVOURS[id];
    if (!pkg || existsSync(join(root, "node_modules", pkg, "package.json"))) continue;
    const spec = `${pkg}@${pinnedTfjsVersion(root)}`;
    if (development) {
      // A contributor's node_modules (or the tests') is theirs: the action changes nothing in it.
      log.info(
        `${spec} is not installed in this development checkout; its cases will be reported unavailable ` +
          `(install it with: npm install --no-save ${spec} && npm rebuild ${pkg} --ignore-scripts=false)`,
      );
      continue;
    }
    log.info(`Installing ${spec} (downloads libtensorflow)`);
    // Its install script downloads libtensorflow: allowed for this package alone, by name. A flavour
    // whose native part did not install is removed again, so the next run does not take it for one.
    await npm(root, flavourInstallArgs(root, spec), env)
      .then(() => npm(root, ["rebuild", pkg, "--ignore-scripts=false", "--foreground-scripts"], env))
      .catch(async (err: unknown) => {
        await rm(join(root, "node_modules", pkg), { recursive: true, force: true });
        log.warning(`${spec} could not be installed; its cases will be reported unavailable: ${String(err)}`);
      });
  }
}
