/** Where the bundled worker lives, found from this module's own location. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The rosetta-bench package root: the closest folder up whose package.json is ours. */
export function packageRoot(from = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string };
      if (name === "rosetta-bench") return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the rosetta-bench package above ${from}`);
    dir = parent;
  }
}

/** The bundled worker script (dist/worker.js). */
export function defaultWorkerPath(): string {
  return join(packageRoot(), "dist", "worker.js");
}

/**
 * The variable that tells a worker where the repository's pinned frameworks are
 * installed (a folder with package.json and node_modules); unset: the tool's own.
 */
export const FRAMEWORKS_ROOT_ENV = "ROSETTA_BENCH_FRAMEWORKS_ROOT";
