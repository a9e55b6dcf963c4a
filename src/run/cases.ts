/**
 * Runs the planned cases one after another, each in its own process, and
 * gathers them into a results file. Cases never run concurrently: they would
 * compete for the same cores and memory bandwidth and spoil each other's timing.
 */
import type { FrameworkId } from "../core/catalog.js";
import { planCases, type PlanInput } from "../plan/plan.js";
import type { CaseSpec, Device } from "../core/protocol.js";
import type { CaseOutcome } from "../core/protocol.js";
import type { Reporter } from "../core/progress.js";
import {
  RESULTS_SCHEMA_VERSION,
  resultsSchema,
  type CaseResult,
  type Gpu,
  type GpuTelemetry,
  type Results,
} from "../core/results-schema.js";
import { describeEnvironment } from "../prepare/environment.js";
import { figureProblem } from "../core/metrics.js";
import { selectGpus } from "../prepare/gpus.js";
import { crossCheck } from "./cross-check.js";
import { startGpuSampler, type GpuSampler } from "./gpu-telemetry.js";
import { startCpuWatch, type CpuWatch } from "./cpu-share.js";
import { interruptedBy } from "./run-case.js";
import { TOOL_VERSION } from "../core/version.js";
import type { ProgressMessage } from "../core/protocol.js";

/** The I/O a run needs, handed in so tests can use real local stand-ins. */
export interface RunBoundaries {
  /** Runs one case; `env` is added to the worker's environment (the GPUs it may use). */
  runCase(spec: CaseSpec, onProgress: (p: ProgressMessage) => void, env?: Record<string, string>): Promise<CaseOutcome>;
  probeGpus(): Promise<Gpu[]>;
  /** The CUDA_VISIBLE_DEVICES the runner set for this job, if any. */
  cudaVisibleDevices?: string;
  /** Samples the GPUs while a case runs (nvidia-smi by default). */
  sampleGpus?: (ids: readonly string[]) => GpuSampler;
  /** Measures other processes' share of the CPU while a case runs (/proc by default). */
  watchCpu?: () => CpuWatch;
  probeCuda(): Promise<string | undefined>;
  now(): Date;
  /** Makes the frameworks loadable for the resolved device (the action installs them). */
  prepare?(device: Device, frameworks: readonly FrameworkId[]): Promise<void>;
}

export interface RunSettings extends Omit<PlanInput, "device"> {
  device: Device | "auto";
  /** `gpu:N[,M]`: the GPUs to use, as nvidia-smi numbers them. */
  gpuIndices?: readonly number[];
  source?: Results["source"];
}

/**
 * An ok outcome whose figures cannot be real (a zero or negative time, one of
 * more than a million seconds) becomes a failed case saying which: recorded,
 * such a figure would stop the gate from judging; refused, it must not sink the
 * other cases' results.
 */
function withPlausibleFigures(outcome: CaseOutcome): CaseOutcome {
  if (outcome.status !== "ok") return outcome;
  const problems: string[] = [];
  for (const [name, value] of Object.entries(outcome.result?.metrics ?? {})) {
    const problem = figureProblem(name, value);
    if (problem) problems.push(`${name} = ${value} (${problem})`);
  }
  for (const [name, values] of Object.entries(outcome.samples)) {
    values.forEach((value, i) => {
      const problem = figureProblem(name, value);
      if (problem) problems.push(`${name}[${i}] = ${value} (${problem})`);
    });
  }
  if (!problems.length) return outcome;
  const { result, ...rest } = outcome;
  const framework = result?.framework ?? outcome.framework;
  return {
    ...rest,
    ...(framework ? { framework } : {}),
    status: "failed",
    reason: `the worker reported impossible figures: ${problems.slice(0, 3).join(", ")}${problems.length > 3 ? ` and ${problems.length - 3} more` : ""}`,
    samples: {},
  };
}

/** A case's entry in the results file from its spec and what its worker reported. */
export function toCaseResult(spec: CaseSpec, given: CaseOutcome): CaseResult {
  const outcome = withPlausibleFigures(given);
  const fw = outcome.result?.framework ?? outcome.framework;
  return {
    id: spec.id,
    workload: spec.workload,
    framework: {
      id: spec.framework,
      ...(fw?.version ? { version: fw.version } : {}),
      ...(fw?.backend ? { backend: fw.backend } : {}),
      ...(fw?.details ? { details: fw.details } : {}),
    },
    device: spec.device,
    profile: spec.profile,
    params: spec.params,
    status: outcome.status,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(outcome.result ? { parameterCount: outcome.result.parameterCount } : {}),
    metrics: outcome.result?.metrics ?? {},
    samples: outcome.status === "ok" ? outcome.samples : {},
    durationS: outcome.durationS,
  };
}

/** The CPU share other processes took, rounded, where it was measured. */
export function shareOf(share: number | undefined): { cpuOthersShare?: number } {
  return share === undefined ? {} : { cpuOthersShare: Math.round(share * 1000) / 1000 };
}

export async function runBenchmarks(settings: RunSettings, io: RunBoundaries, reporter: Reporter): Promise<Results> {
  const listed = await io.probeGpus();
  // The GPUs this job may use: the runner's CUDA_VISIBLE_DEVICES, narrowed by gpu:N.
  const selection =
    settings.device === "cpu"
      ? { gpus: listed, env: {} }
      : selectGpus(listed, settings.gpuIndices, io.cudaVisibleDevices, "device");
  const device: Device = settings.device === "auto" ? (selection.gpus.length ? "gpu" : "cpu") : settings.device;
  // A GPU run's testbed is the GPUs it used; a CPU run's still lists the machine's.
  const gpus = device === "gpu" ? selection.gpus : listed;
  const environment = describeEnvironment(gpus, listed.length ? await io.probeCuda() : undefined);
  const specs = planCases({ ...settings, device });
  if (specs.length === 0) throw new Error("nothing to run: no selected framework implements a selected workload");
  await io.prepare?.(device, settings.frameworks);
  const createdAt = io.now().toISOString();

  const done: Array<{ spec: CaseSpec; outcome: CaseOutcome; telemetry?: GpuTelemetry; cpuOthersShare?: number }> = [];
  const gpuIds = gpus.map((g) => g.uuid ?? (g.index !== undefined ? String(g.index) : "")).filter(Boolean);
  for (const [index, spec] of specs.entries()) {
    if (interruptedBy()) {
      reporter.warning(`interrupted (${interruptedBy()}): ${specs.length - index} case(s) not run`);
      break;
    }
    reporter.caseStarted(spec, index, specs.length);
    // While a GPU case runs, nvidia-smi samples the GPUs it uses.
    const sampler = spec.device === "gpu" && gpus.length ? (io.sampleGpus ?? startGpuSampler)(gpuIds) : undefined;
    const cpu = (io.watchCpu ?? startCpuWatch)();
    const outcome = await io.runCase(spec, (p) => reporter.caseProgress(spec, p), selection.env);
    const cpuOthersShare = cpu.stop();
    const telemetry = await sampler?.stop();
    reporter.caseFinished(spec, outcome);
    done.push({ spec, outcome, ...(telemetry ? { telemetry } : {}), ...shareOf(cpuOthersShare) });
  }

  const frameworks: Record<string, string> = {};
  for (const { spec, outcome } of done) {
    const version = outcome.result?.framework.version ?? outcome.framework?.version;
    if (version) frameworks[spec.framework] = version;
  }
  return resultsSchema.parse({
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: "rosetta-bench", version: TOOL_VERSION },
    createdAt,
    profile: settings.profile,
    seed: settings.seed,
    device,
    ...(settings.source ? { source: settings.source } : {}),
    environment: { ...environment, frameworks },
    cases: done.map(({ spec, outcome, telemetry, cpuOthersShare }) => ({
      ...toCaseResult(spec, outcome),
      ...(telemetry ? { gpuTelemetry: telemetry } : {}),
      ...shareOf(cpuOthersShare),
    })),
    crossChecks: crossCheck(done),
  } satisfies Results);
}
