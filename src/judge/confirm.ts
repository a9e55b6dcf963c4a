/**
 * Confirmation re-runs: a case that looks like a regression runs once more and
 * is decided on the pooled samples of both runs, so one noisy run (a busy
 * neighbour, a thermal dip) does not fail a pull request on its own.
 */
import { selectGpus } from "../prepare/gpus.js";
import type { CaseComparison } from "./compare.js";
import { improvement, METRICS } from "../core/metrics.js";
import type { RunBoundaries } from "../run/cases.js";
import { shareOf, toCaseResult } from "../run/cases.js";
import { startCpuWatch } from "../run/cpu-share.js";
import { PROTOCOL_VERSION, type CaseSpec } from "../core/protocol.js";
import type { Reporter } from "../core/progress.js";
import type { CaseResult, Results } from "../core/results-schema.js";
import { median } from "./statistics.js";

/** A case whose timing moved the wrong way by more than the threshold, confirmed or not. */
export function looksLikeRegression(c: CaseComparison): boolean {
  return c.metrics.some(
    (m) =>
      (m.verdict === "regression" || m.verdict === "inconclusive") &&
      m.baseline !== undefined &&
      m.current !== undefined &&
      METRICS[m.metric].judge === "timing" &&
      improvement(m.metric, m.baseline, m.current) < 0,
  );
}

/** The spec that runs a case of the results again. */
export function specForCase(c: CaseResult, seed: number, threads: number, dataDir: string): CaseSpec {
  const common = {
    protocol: PROTOCOL_VERSION as typeof PROTOCOL_VERSION,
    id: c.id,
    framework: c.framework.id,
    device: c.device,
    profile: c.profile,
    seed,
    threads,
  };
  if (c.workload === "resnet50-features" && "batches" in c.params)
    return { ...common, workload: c.workload, params: c.params };
  if ((c.workload === "cnn-cifar10" || c.workload === "rnn-imdb") && "epochs" in c.params) {
    return { ...common, workload: c.workload, params: c.params, dataDir };
  }
  throw new Error(`cannot run case ${c.id} again: its workload and params do not match`);
}

/**
 * Pools a second run into a case: samples are concatenated, sample-backed
 * metrics recomputed from them, other metrics averaged over the runs. A failed
 * second run leaves the first run's figures as they were.
 */
export function poolRuns(first: CaseResult, second: CaseResult): CaseResult {
  if (second.status !== "ok") return first;
  const samples: Record<string, number[]> = { ...first.samples };
  for (const [name, values] of Object.entries(second.samples)) samples[name] = [...(samples[name] ?? []), ...values];
  const runs = (first.runs ?? 1) + 1;
  const metrics: Record<string, number> = {};
  for (const [name, value] of Object.entries(first.metrics)) {
    const info = (METRICS as Record<string, { samples?: string }>)[name];
    const pooled = info?.samples ? samples[info.samples] : undefined;
    const again = second.metrics[name];
    if (pooled?.length) metrics[name] = median(pooled);
    else metrics[name] = again === undefined ? value : (value * (runs - 1) + again) / runs;
  }
  // A pooled figure is as shared as its most shared run.
  const shares = [first.cpuOthersShare, second.cpuOthersShare].filter((x): x is number => x !== undefined);
  return {
    ...first,
    samples,
    metrics,
    runs,
    durationS: first.durationS + second.durationS,
    ...(shares.length ? { cpuOthersShare: Math.max(...shares) } : {}),
  };
}

/** Re-runs the named cases and pools each into the results. */
export async function confirmCases(
  results: Results,
  ids: ReadonlySet<string>,
  settings: { threads: number; dataDir: string; device?: string; gpuIndices?: readonly number[] },
  io: RunBoundaries,
  reporter: Reporter,
): Promise<Results> {
  const cases: CaseResult[] = [];
  // The same GPUs as the first run: a confirmation on other hardware would confirm nothing.
  const env =
    settings.device !== undefined && settings.device !== "cpu" && results.cases.some((c) => c.device === "gpu")
      ? selectGpus(await io.probeGpus(), settings.gpuIndices, io.cudaVisibleDevices, "device").env
      : {};
  const todo = results.cases.filter((c) => ids.has(c.id));
  for (const c of results.cases) {
    if (!ids.has(c.id)) {
      cases.push(c);
      continue;
    }
    const spec = specForCase(c, results.seed, settings.threads, settings.dataDir);
    reporter.caseStarted(spec, todo.indexOf(c), todo.length);
    const cpu = (io.watchCpu ?? startCpuWatch)();
    const outcome = await io.runCase(spec, (p) => reporter.caseProgress(spec, p), env);
    const share = shareOf(cpu.stop());
    reporter.caseFinished(spec, outcome);
    if (outcome.status !== "ok")
      reporter.warning(`the confirmation run of ${c.id} failed; its first run stands: ${outcome.reason ?? ""}`);
    cases.push(poolRuns(c, { ...toCaseResult(spec, outcome), ...share }));
  }
  return { ...results, cases };
}
