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

/** How one case's worker is started: the program, its arguments, and what it adds to the parent's environment. */
export interface WorkerCommand {
  command: string;
  args: string[];
  /** Added to the parent's environment for this child only. */
  env: Record<string, string>;
}

export interface WorkerCommandOptions {
  /** The bundled Node worker (dist/worker.js by default). */
  workerPath?: string;
  /** Programs that speak the worker protocol, by framework name (see `workers`). */
  externalWorkers?: readonly ExternalWorker[];
  /** The install of the repository's framework pins the Node worker loads its frameworks from. */
  frameworksRoot?: string;
}

/**
 * The command that runs a case of `framework`: an external framework's own
 * program, run by the shell as the user wrote it, or the bundled Node worker,
 * pointed at the pins' install when there is one (it resolves the framework
 * packages from there instead of the tool's own node_modules).
 */
export function workerCommandFor(framework: string, options: WorkerCommandOptions): WorkerCommand {
  const external = options.externalWorkers?.find((w) => w.name === framework);
  if (external) return { command: "/bin/sh", args: ["-c", external.command], env: {} };
  return {
    command: process.execPath,
    args: [options.workerPath ?? defaultWorkerPath()],
    env: options.frameworksRoot ? { [FRAMEWORKS_ROOT_ENV]: options.frameworksRoot } : {},
  };
}

export function localRunBoundaries(options: {
  caseTimeoutS: number;
  workerPath?: string;
  /** The repository's framework pins (see src/prepare/pins.ts); absent: the tool's own frameworks. */
  pinsDir?: string;
  /** Programs that speak the worker protocol, by framework name (see `workers`). */
  externalWorkers?: readonly ExternalWorker[];
  /** A cache shared between jobs for the pins' install (the Actions cache in the action). */
  installCache?: InstallCache;
  /** Where pinned installs are kept; default {@link installCacheRoot}. */
  installCacheRoot?: string;
  log?: (message: string) => void;
}): RunBoundaries {
  // Set once the pins are installed for the run's device: every Node worker loads them.
  let frameworksRoot: string | undefined;
  return {
    ...(options.pinsDir
      ? {
          prepare: async (device) => {
            const install = await ensurePinnedInstall(
              options.pinsDir!,
              ortFlavourFor(device),
              options.log ?? (() => undefined),
              options.installCacheRoot ?? installCacheRoot(),
              options.installCache,
            );
            frameworksRoot = install.root;
          },
        }
      : {}),
    runCase: (spec, onProgress, env) => {
      const worker = workerCommandFor(spec.framework, {
        ...(options.workerPath ? { workerPath: options.workerPath } : {}),
        ...(options.externalWorkers ? { externalWorkers: options.externalWorkers } : {}),
        ...(frameworksRoot ? { frameworksRoot } : {}),
      });
      const extra = { ...worker.env, ...env };
      return runCase(spec, {
        worker: { command: worker.command, args: worker.args },
        ...(Object.keys(extra).length ? { env: { ...process.env, ...extra } } : {}),
        timeoutMs: options.caseTimeoutS * 1000,
        onMessage: (m) => {
          if (m.type === "progress") onProgress(m);
        },
      });
    },
    probeGpus: probeNvidiaGpus,
    ...(process.env.CUDA_VISIBLE_DEVICES !== undefined ? { cudaVisibleDevices: process.env.CUDA_VISIBLE_DEVICES } : {}),
    probeCuda: probeCudaVersion,
    now: () => new Date(),
  };
}
