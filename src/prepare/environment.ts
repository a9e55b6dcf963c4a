/** Fingerprints the machine a run happens on. */
import { execFile } from "node:child_process";
import os from "node:os";
import type { Environment, Gpu } from "../core/results-schema.js";

/**
 * Lists NVIDIA GPUs through nvidia-smi; no nvidia-smi or no GPU gives an empty
 * list. Other vendors are not probed yet.
 */
export function probeNvidiaGpus(): Promise<Gpu[]> {
  return new Promise((resolve) => {
    execFile(
      "nvidia-smi",
      ["--query-gpu=index,uuid,name,driver_version,memory.total", "--format=csv,noheader,nounits"],
      { timeout: 10_000 },
      (err, stdout) => {
        if (err) return resolve([]);
        const gpus = stdout
          .split("\n")
          .map((line) => line.split(",").map((s) => s.trim()))
          .filter((f) => f.length >= 3 && f[2])
          .map(([index, uuid, name, driver, memory]) => ({
            ...(index && /^\d+$/.test(index) ? { index: Number(index) } : {}),
            ...(uuid?.startsWith("GPU-") ? { uuid } : {}),
            name: name ?? "",
            ...(driver ? { driver } : {}),
            ...(memory && Number.isFinite(Number(memory)) ? { memoryMiB: Number(memory) } : {}),
          }));
        resolve(gpus);
      },
    );
  });
}

/** The CUDA version in nvidia-smi's banner ("CUDA Version: 12.4"), if any. */
export function probeCudaVersion(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("nvidia-smi", [], { timeout: 10_000 }, (err, stdout) => {
      resolve(err ? undefined : /CUDA Version:\s*([\d.]+)/.exec(stdout)?.[1]);
    });
  });
}

/** The environment without framework versions, which the cases report as they load. */
export function describeEnvironment(gpus: Gpu[], cuda?: string): Environment {
  const cpus = os.cpus();
  return {
    os: { platform: os.platform(), release: os.release(), arch: os.arch() },
    cpu: { model: cpus[0]?.model.trim() ?? "unknown", cores: os.availableParallelism() },
    memoryBytes: os.totalmem(),
    node: process.version,
    gpus,
    ...(cuda ? { cuda } : {}),
    frameworks: {},
  };
}
