/**
 * Installs the pinned frameworks beside the action on a runner. An action is
 * checked out without node_modules; dist/ bundles everything but the frameworks,
 * which are native or large and stay pinned in package.json and the lockfile.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { FRAMEWORKS } from "./catalog.js";
import type { Device } from "./protocol.js";

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

/**
 * Runs `npm ci --omit=dev` in the action's folder when the frameworks are not
 * there yet. onnxruntime-node fetches its CUDA provider only when the run
 * targets a GPU (ONNXRUNTIME_NODE_INSTALL=cuda12); on the CPU its bundled CPU
 * provider is enough and nothing else is downloaded.
 */
export async function ensureFrameworksInstalled(root: string, device: Device, log: (m: string) => void): Promise<void> {
  if (frameworksInstalled(root)) return;
  const flag = device === "gpu" ? "cuda12" : "skip";
  log(`Installing the pinned frameworks in ${root} (npm ci --omit=dev, ONNXRUNTIME_NODE_INSTALL=${flag})`);
  const started = performance.now();
  try {
    await execFileAsync("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund"], {
      cwd: root,
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: flag },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const tail = (e.stderr ?? "").trim().split("\n").slice(-5).join("\n");
    throw new Error(`installing the pinned frameworks failed (npm ci in ${root}): ${tail || e.message}`, {
      cause: err,
    });
  }
  log(`Frameworks installed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
