/** The real I/O boundaries of a run on this machine. */
import { probeCudaVersion, probeNvidiaGpus } from "../prepare/environment.js";
import { defaultWorkerPath } from "../core/paths.js";
import type { RunBoundaries } from "./cases.js";
import { runCase } from "./run-case.js";

export function localRunBoundaries(options: { caseTimeoutS: number; workerPath?: string }): RunBoundaries {
  const worker = { command: process.execPath, args: [options.workerPath ?? defaultWorkerPath()] };
  return {
    runCase: (spec, onProgress, env) =>
      runCase(spec, {
        worker,
        ...(env && Object.keys(env).length ? { env: { ...process.env, ...env } } : {}),
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
