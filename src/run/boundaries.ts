/** The real I/O boundaries of a run on this machine. */
import { probeCudaVersion, probeNvidiaGpus } from "../prepare/environment.js";
import { defaultWorkerPath } from "../core/paths.js";
import type { RunBoundaries } from "./cases.js";
import { runCase } from "./run-case.js";
import type { ExternalWorker } from "../core/catalog.js";
import {
  ensurePinnedInstall,
  FRAMEWORKS_ROOT_ENV,
  installCacheRoot,
  ortFlavourFor,
  type InstallCache,
} from "../prepare/pins.js";

export function localRunBoundaries(options: {
  caseTimeoutS: number;
  workerPath?: string;
  /** The repository's framework pins (see src/prepare/pins.ts); absent: the tool's own frameworks. */
  pinsDir?: string;
  /** Programs that speak the worker protocol, by framework name (see `workers`). */
  externalWorkers?: readonly ExternalWorker[];
  /** A cache shared between jobs for the pins' install (the Actions cache in the action). */
  installCache?: InstallCache;
  log?: (message: string) => void;
}): RunBoundaries {
  const worker = { command: process.execPath, args: [options.workerPath ?? defaultWorkerPath()] };
  const external = new Map((options.externalWorkers ?? []).map((w) => [w.name, w.command]));
  /** The built-in worker, or an external framework's own program, run by the shell as the user wrote it. */
  const workerFor = (framework: string) => {
    const command = external.get(framework);
    return command === undefined ? worker : { command: "/bin/sh", args: ["-c", command] };
  };
  // Set once the pins are installed for the run's device: every worker loads them.
  const pinned: Record<string, string> = {};
  return {
    ...(options.pinsDir
      ? {
          prepare: async (device) => {
            const install = await ensurePinnedInstall(
              options.pinsDir!,
              ortFlavourFor(device),
              options.log ?? (() => undefined),
              installCacheRoot(),
              options.installCache,
            );
            pinned[FRAMEWORKS_ROOT_ENV] = install.root;
          },
        }
      : {}),
    runCase: (spec, onProgress, env) =>
      runCase(spec, {
        worker: workerFor(spec.framework),
        ...((env && Object.keys(env).length) || Object.keys(pinned).length
          ? { env: { ...process.env, ...pinned, ...env } }
          : {}),
        timeoutMs: options.caseTimeoutS * 1000,
        onMessage: (m) => {
          if (m.type === "progress") onProgress(m);
        },
      }),
    probeGpus: probeNvidiaGpus,
    ...(process.env.CUDA_VISIBLE_DEVICES !== undefined ? { cudaVisibleDevices: process.env.CUDA_VISIBLE_DEVICES } : {}),
    probeCuda: probeCudaVersion,
    now: () => new Date(),
  };
}
