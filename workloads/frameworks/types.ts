import { createRequire } from "node:module";
import { join } from "node:path";
import { FRAMEWORKS_ROOT_ENV } from "../../src/core/paths.js";
import type { FrameworkInfo } from "../../src/core/protocol.js";

/** Thrown when a framework cannot load on this machine; the case is reported unavailable. */
export class FrameworkUnavailableError extends Error {
  override name = "FrameworkUnavailableError";
}

/** A loaded ResNet-50 feature extractor of one framework. */
export interface FeatureExtractor {
  readonly info: FrameworkInfo;
  /** The host layout `infer` takes; batches are converted to it before timing starts. */
  readonly layout: "NCHW" | "NHWC";
  /**
   * Runs one batch of images (in `layout`) and returns the [batch, 2048] features, read
   * back to host memory: the read-back is what synchronises the device.
   */
  infer(images: Float32Array, batch: number): Promise<Float32Array>;
  /**
   * Where the passes so far ran, checked against the case's device: a one-line
   * summary for the results (details.placement). Throws FrameworkUnavailableError
   * when some of the work ran elsewhere. Called once, after the first untimed pass.
   */
  proveDevice?(): Promise<string>;
  dispose(): Promise<void>;
}

/** The pinned install the worker was pointed at, if any (see `rosetta-bench frameworks init`). */
function pinnedRequire(): NodeJS.Require | undefined {
  const root = process.env[FRAMEWORKS_ROOT_ENV];
  return root ? createRequire(join(root, "package.json")) : undefined;
}

/**
 * Imports a framework package, turning "not installed" into unavailability. With
 * pins, the package comes from their install, never from the tool's own.
 */
export async function importFramework<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    const pinned = pinnedRequire();
    return pinned ? (pinned(name) as T) : await load();
  } catch (err) {
    const detail = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new FrameworkUnavailableError(`${name} could not be loaded: ${detail}`);
  }
}

/** A require that finds the framework packages the worker loads (the pinned install's when there are pins). */
export function frameworkRequire(): NodeJS.Require {
  return pinnedRequire() ?? createRequire(import.meta.url);
}

/** The installed version of a framework package, from its package.json. */
export function packageVersion(pkg: string): string {
  const require = frameworkRequire();
  return (require(`${pkg}/package.json`) as { version: string }).version;
}
