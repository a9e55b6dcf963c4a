/** The real I/O boundaries of a run on this machine. */
import { probeCudaVersion, probeNvidiaGpus } from "../prepare/environment.js";
import { defaultWorkerPath } from "../core/paths.js";
import type { RunBoundaries } from "./cases.js";
import { runCase } from "./run-case.js";
import type { ExternalWorker, FrameworkId } from "../core/catalog.js";
import type { Device } from "../core/protocol.js";
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
  /** Installs a framework of its own is loaded from (the tool's native tfjs flavours); before frameworksRoot. */
  frameworkRoots?: Readonly<Partial<Record<string, string>>>;
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
  const root = options.frameworkRoots?.[framework] ?? options.frameworksRoot;
  return {
    command: process.execPath,
    args: [options.workerPath ?? defaultWorkerPath()],
    env: root ? { [FRAMEWORKS_ROOT_ENV]: root } : {},
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
  /**
   * Without pins: readies the tool's own frameworks for the run's device and
   * returns the installs some of them load from instead of the tool's
   * node_modules (the native tfjs flavours, by framework).
   */
  prepareFrameworks?: (
    device: Device,
    frameworks: readonly FrameworkId[],
  ) => Promise<Partial<Record<FrameworkId, string>>>;
  log?: (message: string) => void;
}): RunBoundaries {
  // Set once the pins are installed for the run's device: every Node worker loads them.
  let frameworksRoot: string | undefined;
  let frameworkRoots: Partial<Record<string, string>> = {};
  return {
    ...(options.pinsDir
      ? {
          prepare: async (device: Device) => {
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
      : options.prepareFrameworks
        ? {
            prepare: async (device: Device, frameworks: readonly FrameworkId[]) => {
              frameworkRoots = await options.prepareFrameworks!(device, frameworks);
            },
          }
        : {}),
    runCase: (spec, onProgress, env) => {
      const worker = workerCommandFor(spec.framework, {
        ...(options.workerPath ? { workerPath: options.workerPath } : {}),
        ...(options.externalWorkers ? { externalWorkers: options.externalWorkers } : {}),
        ...(frameworksRoot ? { frameworksRoot } : {}),
        frameworkRoots,
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
