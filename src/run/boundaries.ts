/** The real I/O boundaries of a run on this machine. */
import { join } from "node:path";
import { probeCudaVersion, probeNvidiaGpus } from "../prepare/environment.js";
import { defaultWorkerPath, packageRoot } from "../core/paths.js";
import type { RunBoundaries } from "./cases.js";
import { runCase, type WorkerCommand } from "./run-case.js";
import { FRAMEWORKS, type ExternalWorker, type FrameworkId } from "../core/catalog.js";
import type { Device } from "../core/protocol.js";
import {
  ensurePinnedInstall,
  FRAMEWORKS_ROOT_ENV,
  installCacheRoot,
  ortFlavourFor,
  type InstallCache,
} from "../prepare/pins.js";

/** What starts one framework's worker: the command, its arguments, and variables ADDED to the parent's environment. */
export interface FrameworkWorker extends WorkerCommand {
  /** Added to the parent's environment for this child only. */
  env: Record<string, string>;
}

export interface WorkerOptions {
  /** The Node worker script (dist/worker.js by default). */
  workerPath?: string;
  /** The pytorch worker's interpreter (`python`; python3 by default). */
  python?: string;
  /** Programs that speak the worker protocol, by framework name (see `workers`). */
  externalWorkers?: readonly ExternalWorker[];
  /** The parent's environment, for variables the worker extends (PYTHONPATH); process.env by default. */
  parentEnv?: NodeJS.ProcessEnv;
  /** The install of the repository's framework pins the Node worker loads its frameworks from. */
  frameworksRoot?: string;
  /** Installs a framework of its own is loaded from (the tool's native tfjs flavours); before frameworksRoot. */
  frameworkRoots?: Readonly<Partial<Record<string, string>>>;
}

/** The Python worker's package folder (workloads/pytorch, holding the rosetta_torch package). */
export function pythonWorkerRoot(): string {
  return join(packageRoot(), "workloads", "pytorch");
}

/**
 * How a framework's worker starts: an external worker's own command (run by the
 * shell as the user wrote it), the Python worker (`python -m rosetta_torch` with
 * its package on PYTHONPATH) for a Python framework, else the bundled Node worker,
 * pointed at the pins' install when there is one (it then resolves the framework
 * packages from there instead of the tool's own node_modules).
 */
export function workerCommandFor(framework: string, options: WorkerOptions = {}): FrameworkWorker {
  const external = options.externalWorkers?.find((w) => w.name === framework);
  if (external) return { command: "/bin/sh", args: ["-c", external.command], env: {} };
  const entry = (FRAMEWORKS as Record<string, { runtime: string } | undefined>)[framework];
  if (entry?.runtime === "python") {
    const parent = options.parentEnv ?? process.env;
    const root = pythonWorkerRoot();
    return {
      command: options.python ?? "python3",
      // -u: unbuffered; -X utf8: the same text encoding whatever the locale.
      args: ["-u", "-X", "utf8", "-m", "rosetta_torch"],
      env: {
        PYTHONPATH: parent.PYTHONPATH ? `${root}:${parent.PYTHONPATH}` : root,
        // The package folder may be read-only (an action's checkout): no bytecode files.
        PYTHONDONTWRITEBYTECODE: "1",
      },
      unstartable: {
        status: "unavailable",
        hint: "install Python 3 with PyTorch (Debian: apt-get install python3-torch python3-torchvision) or name another interpreter with --python (input python)",
      },
    };
  }
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
  /** The pytorch worker's interpreter (`python`). */
  python?: string;
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
      const { env: own, ...worker } = workerCommandFor(spec.framework, {
        ...(options.workerPath ? { workerPath: options.workerPath } : {}),
        ...(options.python ? { python: options.python } : {}),
        ...(options.externalWorkers ? { externalWorkers: options.externalWorkers } : {}),
        ...(frameworksRoot ? { frameworksRoot } : {}),
        frameworkRoots,
      });
      const extra = { ...own, ...env };
      return runCase(spec, {
        worker,
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
