/**
 * How the GPU behaved while a case ran: nvidia-smi sampled in its loop mode
 * (`-lms`) for the GPUs the run uses, and the compute processes on them. The
 * summary goes into the case's results; the report flags the usual causes of a
 * false regression on a GPU runner: thermal or power throttling, another
 * process on the GPU, and a GPU mostly idle during the case. No nvidia-smi, no
 * cost: the sampler then records nothing.
 */
import { execFile, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { GpuTelemetry } from "../core/results-schema.js";

export const QUERY_FIELDS = [
  "index",
  "utilization.gpu",
  "clocks.sm",
  "clocks.mem",
  "temperature.gpu",
  "power.draw",
  "clocks_throttle_reasons.active",
  "memory.used",
] as const;

/** nvidia-smi's throttle-reason bits (`nvidia-smi --help-query-gpu`) that mean the GPU slowed itself. */
const THROTTLE_BITS: ReadonlyArray<[number, string]> = [
  [0x04, "power cap"],
  [0x08, "hardware slowdown"],
  [0x20, "thermal (software)"],
  [0x40, "thermal (hardware)"],
  [0x80, "power brake"],
];

export interface GpuSample {
  index: number;
  utilization: number;
  smClockMHz: number;
  memClockMHz: number;
  temperatureC: number;
  powerW: number;
  throttle: number;
  memoryUsedMiB: number;
}

const num = (text: string | undefined) => {
  const value = Number(text?.trim());
  return Number.isFinite(value) ? value : NaN;
};

/** One line of the query, or undefined for anything else (a header, "[N/A]" everywhere). */
export function parseSample(line: string): GpuSample | undefined {
  const f = line.split(",").map((s) => s.trim());
  if (f.length !== QUERY_FIELDS.length || !/^\d+$/.test(f[0] ?? "")) return undefined;
  const throttle = /^0x[0-9a-f]+$/i.test(f[6] ?? "") ? Number.parseInt(f[6]!, 16) : 0;
  return {
    index: Number(f[0]),
    utilization: num(f[1]),
    smClockMHz: num(f[2]),
    memClockMHz: num(f[3]),
    temperatureC: num(f[4]),
    powerW: num(f[5]),
    throttle,
    memoryUsedMiB: num(f[7]),
  };
}

const finite = (values: number[]) => values.filter(Number.isFinite);
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined);
const max = (values: number[]) => (values.length ? Math.max(...values) : undefined);
const min = (values: number[]) => (values.length ? Math.min(...values) : undefined);

/** The summary kept with a case; `others` are compute processes on the GPUs that are not the case's. */
export function summarise(samples: readonly GpuSample[], others: readonly string[]): GpuTelemetry | undefined {
  if (!samples.length) return undefined;
  const throttled = THROTTLE_BITS.filter(([bit]) => samples.some((s) => (s.throttle & bit) !== 0)).map(([, n]) => n);
  const defined = <T>(o: Record<string, T | undefined>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, T>;
  return {
    samples: samples.length,
    ...defined({
      utilizationMean: mean(finite(samples.map((s) => s.utilization))),
      smClockMinMHz: min(finite(samples.map((s) => s.smClockMHz))),
      smClockMaxMHz: max(finite(samples.map((s) => s.smClockMHz))),
      temperatureMaxC: max(finite(samples.map((s) => s.temperatureC))),
      powerMaxW: max(finite(samples.map((s) => s.powerW))),
      memoryUsedMaxMiB: max(finite(samples.map((s) => s.memoryUsedMiB))),
    }),
    throttled,
    otherProcesses: [...others],
  };
}

/** Why a case's figures may not be the GPU's best: the report's flags. */
export function telemetryFlags(t: GpuTelemetry): string[] {
  const flags: string[] = [];
  if (t.throttled.length) flags.push(`throttled (${t.throttled.join(", ")})`);
  if (t.otherProcesses.length) flags.push(`another process on the GPU (${t.otherProcesses.join(", ")})`);
  if (t.utilizationMean !== undefined && t.utilizationMean < 30) {
    flags.push(`GPU mostly idle (${t.utilizationMean.toFixed(0)}% mean utilisation)`);
  }
  return flags;
}

/**
 * Compute processes on the given GPUs, as "name (pid)". Asked when the case's
 * worker has exited, so whatever is still computing there is another process.
 */
function otherProcesses(ids: readonly string[]): Promise<string[]> {
  return new Promise((resolve) => {
    const args = ["--query-compute-apps=pid,process_name", "--format=csv,noheader,nounits"];
    if (ids.length) args.push(`--id=${ids.join(",")}`);
    execFile("nvidia-smi", args, { timeout: 10_000 }, (err, stdout) => {
      if (err) return resolve([]);
      const apps = stdout
        .split("\n")
        .map((l) => l.split(",").map((s) => s.trim()))
        .filter(([pid]) => pid !== undefined && /^\d+$/.test(pid))
        .map(([pid, name]) => `${name ?? "?"} (${pid})`);
      resolve(apps);
    });
  });
}

/** One sample of each GPU, outside the loop. */
function snapshot(ids: readonly string[]): Promise<GpuSample[]> {
  const args = [`--query-gpu=${QUERY_FIELDS.join(",")}`, "--format=csv,noheader,nounits"];
  if (ids.length) args.push(`--id=${ids.join(",")}`);
  return new Promise((resolve) => {
    execFile("nvidia-smi", args, { timeout: 10_000 }, (err, stdout) => {
      resolve(err ? [] : stdout.split("\n").flatMap((line) => parseSample(line) ?? []));
    });
  });
}

export interface GpuSampler {
  /** Stops sampling; the summary, or undefined when nothing was sampled. */
  stop(): Promise<GpuTelemetry | undefined>;
}

/** Samples the GPUs `ids` (nvidia-smi indices or UUIDs; all when empty) every `intervalMs`. */
export function startGpuSampler(ids: readonly string[], intervalMs = 200): GpuSampler {
  const samples: GpuSample[] = [];
  const args = [`--query-gpu=${QUERY_FIELDS.join(",")}`, "--format=csv,noheader,nounits", `-lms`, String(intervalMs)];
  if (ids.length) args.push(`--id=${ids.join(",")}`);
  const child = spawn("nvidia-smi", args, { stdio: ["ignore", "pipe", "ignore"] });
  child.on("error", () => undefined); // no nvidia-smi: nothing sampled
  createInterface({ input: child.stdout }).on("line", (line) => {
    const sample = parseSample(line);
    if (sample) samples.push(sample);
  });
  return {
    stop: async () => {
      child.kill("SIGTERM");
      // A case shorter than nvidia-smi's start-up still gets one sample, taken now.
      if (!samples.length) samples.push(...(await snapshot(ids)));
      if (!samples.length) return undefined;
      return summarise(samples, await otherProcesses(ids));
    },
  };
}
