/**
 * The pipeline both front ends share: baseline checked first (a malformed one
 * stops the run before any work and changes no file), then the cases, the
 * results file, the comparison and the markdown report.
 */
import { readBaseline } from "./baseline/io.js";
import { compareWithBaseline, type Comparison } from "./compare.js";
import type { Config } from "./config/config.js";
import { writeFileAtomic } from "./files.js";
import { runBenchmarks, type RunBoundaries } from "./pipeline.js";
import { renderComparison } from "./render.js";
import type { Reporter } from "./reporter.js";
import { readResults, writeResults } from "./results/io.js";
import type { Results } from "./results/schema.js";

export interface RunContext {
  source?: Results["source"];
  runUrl?: string;
}

export interface RunOutput {
  results: Results;
  comparison: Comparison;
  markdown: string;
}

async function compareAndReport(
  config: Config,
  results: Results,
  baselinePromise: ReturnType<typeof readBaseline>,
  context: RunContext,
) {
  const baseline = await baselinePromise;
  const comparison = compareWithBaseline(results, baseline, {
    threshold: config.threshold,
    failedIsRegression: true,
  });
  const markdown = renderComparison(comparison, {
    profile: results.profile,
    baselinePath: config.baselinePath,
    ...(context.runUrl ? { runUrl: context.runUrl } : {}),
  });
  await writeFileAtomic(config.reportPath, markdown);
  return { results, comparison, markdown };
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
  const results = await runBenchmarks(
    { ...config, ...(context.source ? { source: context.source } : {}) },
    io,
    reporter,
  );
  await writeResults(config.resultsPath, results);
  reporter.info(`Results written to ${config.resultsPath}`);
  return compareAndReport(config, results, Promise.resolve(baseline), context);
}

/** Compares an existing results file with the baseline. */
export async function executeCompare(config: Config, context: RunContext = {}): Promise<RunOutput> {
  const baseline = readBaseline(config.baselinePath);
  const results = await readResults(config.resultsPath);
  return compareAndReport(config, results, baseline, context);
}
