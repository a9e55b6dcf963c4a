/**
 * The rosetta-bench command line: the same pipeline as the action, for running
 * on a workstation or reproducing a CI result.
 */
import { parseArgs } from "node:util";
import { mergeIntoBaseline, readBaseline, writeBaseline } from "../store/baseline-file.js";
import { localRunBoundaries } from "../run/boundaries.js";
import { DEFAULT_BASELINE_PATH, INPUT_NAMES, parseConfig, type InputName } from "../configure/config.js";
import { InputError } from "../configure/readers.js";
import { FileFormatError } from "../store/files.js";
import { readResults } from "../store/results-file.js";
import { executeCompare, executeRun } from "../pipeline.js";
import { TOOL_VERSION } from "../core/version.js";
import { terminalReporter } from "./progress-terminal.js";
import { ensureRunData, fetchData } from "./commands/data.js";
import { refreshCommand } from "./commands/refresh.js";
import { describeCommand } from "./commands/describe.js";
import { verifyCommand } from "./commands/verify.js";
import type { Io } from "./io.js";

export const USAGE = `rosetta-bench ${TOOL_VERSION}: deep-learning performance, compared with a committed baseline

Usage:
  rosetta-bench run [options]             run the benchmarks, compare, print the report
  rosetta-bench compare [options]         compare a results file with the baseline
  rosetta-bench describe WORKLOAD [--framework ID] [--json]
                                          the model's layers and parameter count
  rosetta-bench verify [--frameworks LIST] the same seeded ResNet-50 in every framework:
                                          their features must agree
  rosetta-bench baseline update [options] merge a results file into the baseline
  rosetta-bench baseline refresh [options] merge results into the baseline and commit it:
                                          a branch with a pull request, or --push direct
  rosetta-bench data fetch [options]      fetch and verify datasets into the data folder

Options (run):
  --frameworks LIST     onnxruntime-node, tfjs, tfjs-node, tfjs-node-gpu (default: onnxruntime-node,tfjs)
  --workloads LIST      cnn-cifar10, rnn-imdb, resnet50-features (default: all three)
  --profile NAME        smoke (default: a few steps, synthetic training data), quick (100 training
                        steps, 10 ResNet batches, real data) or full (the reference exactly)
  --device NAME         auto (default: gpu when nvidia-smi sees one), cpu or gpu
  --baseline FILE       baseline file (default: ${DEFAULT_BASELINE_PATH})
  --results FILE        results file to write (default: rosetta-bench-results.json)
  --report FILE         markdown report to write (default: the results path with .md)
  --threshold PCT       slowdown that counts as a regression (default: 5%)
  --workload-thresholds LIST   per-workload thresholds, such as resnet50-features=3%
  --accuracy-tolerance PTS     test-accuracy drop that counts as a regression (default: 1.0 points)
  --fail-on-regression  exit with status 1 when a case regressed or failed
  --failed-is-regression BOOL  whether a failed case counts as a regression (default: true)
  --confirm-regressions re-run a case that looks like a regression; decide on both runs
  --case-timeout SEC    kill a case after this many seconds (default: 3600)
  --seed N              seed of the input data (default: 1)
  --threads N           intra-op threads for frameworks that take a count (default: all cores)
  --data-dir DIR        dataset folder (default: $XDG_CACHE_HOME/rosetta-bench or ~/.cache/rosetta-bench)
  --data-mirror URL     fetch dataset files from URL/<file name> instead of their official hosts
  --offline             use only the dataset files already in the data folder; make no request

compare takes --baseline, --results, --report and the decision options above;
baseline update takes --results, --baseline and --commit SHA.
baseline refresh runs the cases (or takes --results-files A,B) and takes --tag NAME,
  --base-branch (default: origin's HEAD), --push pull-request|direct, --commit-user-name,
  --commit-user-email, --commit-message, --commit-trailers, --push-attempts, and
  --repository OWNER/NAME with GITHUB_TOKEN set to open the pull request.
data fetch takes --data-dir, --data-mirror, --offline and --datasets LIST (cifar10, imdb; default: both).

Exit status: 0 done, 1 regression (with --fail-on-regression) or a failure, 2 bad usage or input.
`;

const FLAG_FOR: Partial<Record<InputName, string>> = {
  "baseline-path": "baseline",
  "results-path": "results",
  "report-path": "report",
};
const flagName = (name: InputName) => FLAG_FOR[name] ?? name;

const OPTIONS = {
  ...Object.fromEntries(INPUT_NAMES.map((n) => [flagName(n), { type: "string" as const }])),
  "fail-on-regression": { type: "boolean" as const },
  "confirm-regressions": { type: "boolean" as const },
  commit: { type: "string" as const },
  "results-files": { type: "string" as const },
  tag: { type: "string" as const },
  "base-branch": { type: "string" as const },
  push: { type: "string" as const },
  "commit-user-name": { type: "string" as const },
  "commit-user-email": { type: "string" as const },
  "commit-message": { type: "string" as const },
  "commit-trailers": { type: "string" as const },
  "push-attempts": { type: "string" as const },
  repository: { type: "string" as const },
  offline: { type: "boolean" as const },
  datasets: { type: "string" as const },
  framework: { type: "string" as const },
  json: { type: "boolean" as const },
  help: { type: "boolean" as const, short: "h" },
  version: { type: "boolean" as const },
};

/** `data fetch`: fetches (or checks) each dataset file and prints where it is. */
/** Runs the CLI and returns its exit status. */
export async function cli(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.stderr.write(`rosetta-bench: ${(err as Error).message}\nSee 'rosetta-bench --help'.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  const command = positionals.join(" ");
  if (values.help || command === "" || command === "help") {
    io.stdout.write(USAGE);
    return command === "" && !values.help ? 2 : 0;
  }
  const get = (name: InputName): string | undefined => {
    const v = (values as Record<string, string | boolean | undefined>)[flagName(name)];
    return typeof v === "boolean" ? String(v) : v;
  };
  try {
    if (positionals[0] === "describe") return describeCommand(positionals, values.framework, values.json === true, io);
    const config = parseConfig(get, (n) => `--${flagName(n)}`);
    switch (command) {
      case "run": {
        const reporter = terminalReporter(io.stderr);
        const out = await executeRun(config, localRunBoundaries(config), reporter, {
          prepareData: () => ensureRunData(config, io),
        });
        io.stdout.write(out.markdown);
        io.stderr.write(`Report written to ${config.reportPath}\n`);
        return config.failOnRegression && out.comparison.regressed ? 1 : 0;
      }
      case "compare": {
        const out = await executeCompare(config);
        io.stdout.write(out.markdown);
        return config.failOnRegression && out.comparison.regressed ? 1 : 0;
      }
      case "baseline update": {
        const results = await readResults(config.resultsPath);
        const merged = mergeIntoBaseline(await readBaseline(config.baselinePath), results, values.commit);
        await writeBaseline(config.baselinePath, merged);
        const ok = results.cases.filter((c) => c.status === "ok").length;
        io.stderr.write(
          `Baseline ${config.baselinePath}: ${ok} case(s) written, ${merged.entries.length} entries in all\n`,
        );
        return 0;
      }
      case "baseline refresh":
        return await refreshCommand(config, values as Record<string, string | undefined>, io);
      case "verify":
        return await verifyCommand(config, io);
      case "data fetch":
        return await fetchData(config, values.datasets, io);
      default:
        io.stderr.write(
          `rosetta-bench: unknown command '${command}'; accepted: run, compare, describe, verify, baseline update, baseline refresh, data fetch\n`,
        );
        return 2;
    }
  } catch (err) {
    const usage = err instanceof InputError || err instanceof FileFormatError;
    io.stderr.write(`rosetta-bench: ${err instanceof Error ? err.message : String(err)}\n`);
    return usage ? 2 : 1;
  }
}
