/**
 * The pipeline both front ends share: baseline checked first (a malformed one
 * stops the run before any work and changes no file), then the cases, the
 * results file, the comparison (with confirmation re-runs when asked) and the
 * markdown report.
 */
import { interruptedBy } from "./run/run-case.js";
import { readBaseline } from "./store/baseline-file.js";
import type { Baseline } from "./core/baseline-schema.js";
import { compareWithBaseline, type Comparison } from "./judge/compare.js";
import type { Config } from "./configure/config.js";
import { confirmCases, looksLikeRegression } from "./judge/confirm.js";
import { writeFileAtomic } from "./store/files.js";
import { expandResultsPaths } from "./store/results-paths.js";
import { readBaselineHistory, type BaselineHistory } from "./store/baseline-history.js";
import { withTrends, type PastBaseline } from "./judge/trend.js";
import { PULL_REQUEST_FILE } from "./github/pull-request.js";
import { runBenchmarks, type RunBoundaries } from "./run/cases.js";
import { renderComparison, renderFleet } from "./report/markdown.js";
import type { Reporter } from "./core/progress.js";
import { readResults, writeResults } from "./store/results-file.js";
import type { Results } from "./core/results-schema.js";

export interface RunContext {
  source?: Results["source"];
  runUrl?: string;
  /** Fetches the datasets the run reads: after the baseline is known good, before any case. */
  prepareData?: () => Promise<unknown>;
}

export interface RunOutput {
  results: Results;
  comparison: Comparison;
  markdown: string;
  /** Why the report has no trend, where the reader can do something about it (a shallow clone). */
  trendNote?: string;
}

function compare(config: Config, results: Results, baseline: Baseline | undefined): Comparison {
  return compareWithBaseline(results, baseline, config);
}

/**
 * The baseline's past versions for the trend, when asked for and where git has
 * them; never an error (a trend is an aid to reading, not part of the gate).
 */
async function pastBaselines(config: Config): Promise<{ past: PastBaseline[]; note?: string }> {
  if (config.trendVersions === 0) return { past: [] };
  const history = await readBaselineHistory(config.baselinePath, config.trendVersions).catch(
    (err: unknown): BaselineHistory => ({ versions: [], reason: String(err) }),
  );
  return {
    past: history.versions.map((v) => ({ label: v.label, baseline: v.baseline })),
    ...(history.note ? { note: history.note } : {}),
  };
}

async function report(config: Config, results: Results, judged: Comparison, context: RunContext): Promise<RunOutput> {
  const { past, note } = await pastBaselines(config);
  const comparison = withTrends(judged, past, config.testbedMatch);
  const markdown = renderComparison(comparison, {
    profile: results.profile,
    baselinePath: config.baselinePath,
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
    ...(note ? { trendNote: note } : {}),
  });
  await writeFileAtomic(config.reportPath, markdown);
  return { results, comparison, markdown, ...(note ? { trendNote: note } : {}) };
}

/** Runs the configured cases and compares them with the baseline. */
export async function executeRun(
  config: Config,
  io: RunBoundaries,
  reporter: Reporter,
  context: RunContext = {},
): Promise<RunOutput> {
  const baseline = await readBaseline(config.baselinePath);
  if (!baseline) reporter.info(`No baseline at '${config.baselinePath}': figures will be reported, not judged.`);
  await context.prepareData?.();
  let results = await runBenchmarks({ ...config, ...(context.source ? { source: context.source } : {}) }, io, reporter);
  // Written before any confirmation run, so an interrupted confirmation loses nothing.
  await writeResults(config.resultsPath, results);
  let comparison = compare(config, results, baseline);

  // A suspected regression is re-run when asked, and always when the GPU misbehaved during it:
  // a throttled or shared GPU's figure is not believed on one run.
  const suspects = new Set(
    comparison.cases
      .filter((c) => looksLikeRegression(c) && (config.confirmRegressions || c.gpuFlagged))
      .map((c) => c.id),
  );
  if (suspects.size > 0 && !interruptedBy()) {
    reporter.info(`Re-running ${suspects.size} case(s) that look like regressions, to decide on pooled samples`);
    results = await confirmCases(results, suspects, config, io, reporter);
    await writeResults(config.resultsPath, results);
    comparison = compare(config, results, baseline);
  }
  reporter.info(`Results written to ${config.resultsPath}`);
  return report(config, results, comparison, context);
}

/** Compares an existing results file with the baseline. */
export async function executeCompare(config: Config, context: RunContext = {}): Promise<RunOutput> {
  const [baseline, results] = await Promise.all([readBaseline(config.baselinePath), readResults(config.resultsPath)]);
  return report(config, results, compare(config, results, baseline), context);
}

export interface FleetOutput {
  /** Each results file with its comparison, in the order named. */
  parts: Array<{ path: string; results: Results; comparison: Comparison }>;
  markdown: string;
  /** The gate fails: some testbed regressed (or measured nothing, unless allowed). */
  regressed: boolean;
  /** Renders the report again within `maxLength` characters (the comment and the job summary). */
  render: (maxLength?: number, notice?: string) => string;
}

/**
 * Compares several results files (one per testbed, say: a matrix's artifacts)
 * with the baseline, each against its own testbed's entries, in one report.
 * `patterns` are paths, folders or globs; `label` names them in errors.
 */
export async function executeCompareMany(
  config: Config,
  patterns: readonly string[],
  context: RunContext = {},
  label = "--results",
): Promise<FleetOutput> {
  const [baseline, files] = await Promise.all([
    readBaseline(config.baselinePath),
    // The pull-request hand-off travels beside the results in an uploaded folder: not a results file.
    expandResultsPaths(patterns, label, [PULL_REQUEST_FILE]),
  ]);
  const all = await Promise.all(files.map((f) => readResults(f)));
  const { past, note } = await pastBaselines(config);
  const parts = all.map((results, i) => ({
    path: files[i] ?? "",
    results,
    comparison: withTrends(compare(config, results, baseline), past, config.testbedMatch),
  }));
  const render = (maxLength?: number, notice?: string) =>
    renderFleet(
      parts.map(({ results, comparison }) => ({
        comparison,
        context: { profile: results.profile, baselinePath: config.baselinePath, ...(note ? { trendNote: note } : {}) },
      })),
      {
        ...(context.runUrl ? { runUrl: context.runUrl } : {}),
        ...(maxLength !== undefined ? { maxLength } : {}),
        ...(notice ? { notice } : {}),
      },
    );
  const markdown = render();
  await writeFileAtomic(config.reportPath, markdown);
  return { parts, markdown, regressed: parts.some((p) => p.comparison.regressed), render };
}
