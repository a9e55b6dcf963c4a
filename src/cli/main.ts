/**
 * The rosetta-bench command line: the same pipeline as the action, for running
 * on a workstation or reproducing a CI result.
 */
import { parseArgs } from "node:util";
import { mergeIntoBaseline, readBaseline, writeBaseline } from "../store/baseline-file.js";
import { localRunBoundaries } from "../run/boundaries.js";
import { handleInterrupts, interruptedBy, signalExitCode } from "../run/run-case.js";
import { checkWritable, parseConfig, pinsDirOf, type Config, type InputName } from "../configure/config.js";
import { initPins, PINS_DIR } from "../prepare/pins.js";
import { packageRoot } from "../core/paths.js";
import { resolve } from "node:path";
import { stat } from "node:fs/promises";
import { nothingMeasuredLine, type Comparison } from "../judge/compare.js";
import { COMMANDS, flagOf, optionNamed, optionsOf, usageText, type CommandId } from "../configure/options.js";
import { InputError } from "../configure/readers.js";
import { FileFormatError, withFileLock } from "../store/files.js";
import { readResults } from "../store/results-file.js";
import { executeCompare, executeCompareMany, executeRun } from "../pipeline.js";
import { TOOL_VERSION } from "../core/version.js";
import { terminalReporter } from "./progress-terminal.js";
import { ensureRunData, fetchData } from "./commands/data.js";
import { refreshCommand } from "./commands/refresh.js";
import { describeCommand } from "./commands/describe.js";
import { verifyCommand } from "./commands/verify.js";
import { doctorCommand } from "./commands/doctor.js";
import type { Io } from "./io.js";

export const USAGE = usageText(TOOL_VERSION);

const NOUNS = new Set(["baseline", "data", "frameworks"]);
const flagName = (name: InputName) => flagOf(optionNamed(name)) ?? name;

/** The command named by the leading words of argv, and the rest. */
function splitCommand(argv: string[]): { command: string; rest: string[] } {
  const first = argv[0] ?? "";
  if (first.startsWith("-") || first === "") return { command: "", rest: argv };
  if (NOUNS.has(first) && argv[1] !== undefined && !argv[1].startsWith("-")) {
    return { command: `${first} ${argv[1]}`, rest: argv.slice(2) };
  }
  return { command: first, rest: argv.slice(1) };
}

function parseCommandArgs(command: CommandId, rest: string[]) {
  const accepted = optionsOf(command);
  const options = Object.fromEntries(
    accepted.map((o) => [
      flagOf(o)!,
      { type: o.arg ? ("string" as const) : ("boolean" as const), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  );
  try {
    return parseArgs({ args: rest, options, allowPositionals: command === "describe", strict: true });
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
    const takes = accepted.length ? accepted.map((o) => `--${flagOf(o)}`).join(", ") : "no options";
    if (unknown) {
      throw new InputError(`'${unknown}' is not an option of '${command}'; it takes ${takes}`);
    }
    const positional = /Unexpected argument '([^']+)'/.exec(message)?.[1];
    if (positional) throw new InputError(`'${command}' takes no argument '${positional}'; it takes ${takes}`);
    throw new InputError(`${command}: ${message}`);
  }
}

const isFolder = (path: string | undefined) =>
  path === undefined
    ? Promise.resolve(false)
    : stat(path).then(
        (s) => s.isDirectory(),
        () => false,
      );

/** The run boundaries of the CLI: the repository under test is the working folder. */
export function cliBoundaries(config: Config, say: (m: string) => void) {
  const pinsDir = pinsDirOf(config, process.cwd(), "--frameworks-dir");
  if (pinsDir) say(`Framework pins: ${pinsDir}`);
  return localRunBoundaries({ ...config, ...(pinsDir ? { pinsDir } : {}), log: say });
}

/** The exit status of a judged run: 1 when gating and the gate fails; says so when nothing was measured. */
function gateStatus(config: Config, comparison: Comparison, io: Io): number {
  if (comparison.nothingMeasured && !config.allowEmpty) {
    io.stderr.write(`rosetta-bench: ${nothingMeasuredLine(comparison)}; --allow-empty true lets such a run pass\n`);
  }
  return config.failOnRegression && comparison.regressed ? 1 : 0;
}

/** Runs the CLI and returns its exit status. */
export async function cli(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  if (argv[0] === "--version") {
    io.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  const { command, rest } = splitCommand(argv);
  if (argv.includes("--help") || argv.includes("-h") || command === "" || command === "help") {
    const asked = command === "help" || argv.includes("--help") || argv.includes("-h");
    (asked ? io.stdout : io.stderr).write(USAGE);
    return asked ? 0 : 2;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    io.stderr.write(
      `rosetta-bench: unknown command '${command}'; accepted: ${COMMANDS.join(", ")}\nSee 'rosetta-bench --help'.\n`,
    );
    return 2;
  }
  let parsed;
  try {
    parsed = parseCommandArgs(command as CommandId, rest);
  } catch (err) {
    io.stderr.write(`rosetta-bench: ${(err as Error).message}\nSee 'rosetta-bench --help'.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const resultsGiven = (values as { results?: unknown }).results;
  if (Array.isArray(resultsGiven) && resultsGiven.length > 1 && command !== "compare") {
    io.stderr.write(`rosetta-bench: '${command}' takes one --results; only compare reads several\n`);
    return 2;
  }
  const get = (name: InputName): string | undefined => {
    const v = (values as Record<string, string | string[] | boolean | undefined>)[flagName(name)];
    // Several --results are compare's alone (one report across testbeds); the configuration keeps the first.
    if (Array.isArray(v) && name === "results-path") return v[0];
    return typeof v === "boolean" ? String(v) : Array.isArray(v) ? v.join("\n") : v;
  };
  try {
    const text = values as Record<string, string | undefined>;
    const say = (m: string) => io.stderr.write(`${m}\n`);
    if (command === "describe")
      return describeCommand(["describe", ...positionals], text.framework, values.json === true, io);
    const config = parseConfig(get, (n) => `--${flagName(n)}`);
    switch (command) {
      case "run": {
        await checkWritable(config.resultsPath, "--results");
        await checkWritable(config.reportPath, "--report");
        const reporter = terminalReporter(io.stderr);
        const release = handleInterrupts((m) => io.stderr.write(`\nrosetta-bench: ${m}\n`));
        try {
          const out = await executeRun(config, cliBoundaries(config, say), reporter, {
            prepareData: () => ensureRunData(config, io),
          });
          io.stdout.write(out.markdown);
          io.stderr.write(`Report written to ${config.reportPath}\n`);
          const signal = interruptedBy();
          if (signal) {
            io.stderr.write(`rosetta-bench: interrupted by ${signal}; the results hold the cases done before it\n`);
            return signalExitCode(signal);
          }
          return gateStatus(config, out.comparison, io);
        } finally {
          release();
        }
      }
      case "compare": {
        await checkWritable(config.reportPath, "--report");
        // Several results files (or a folder of them): one report across their testbeds.
        const paths = (values as { results?: string[] }).results ?? [];
        if (paths.length > 1 || /[*?[]/.test(paths[0] ?? "") || (await isFolder(paths[0]))) {
          const fleet = await executeCompareMany(config, paths);
          io.stdout.write(fleet.markdown);
          return config.failOnRegression && fleet.regressed ? 1 : 0;
        }
        const out = await executeCompare(config);
        io.stdout.write(out.markdown);
        return gateStatus(config, out.comparison, io);
      }
      case "baseline update": {
        const results = await readResults(config.resultsPath);
        // Read, merge and write under a lock: two updates at once must not lose either's entries.
        const merged = await withFileLock(config.baselinePath, async () => {
          const next = mergeIntoBaseline(
            await readBaseline(config.baselinePath),
            results,
            text.commit,
            config.testbedMatch,
          );
          await writeBaseline(config.baselinePath, next);
          return next;
        });
        const ok = results.cases.filter((c) => c.status === "ok").length;
        io.stderr.write(
          `Baseline ${config.baselinePath}: ${ok} case(s) written, ${merged.entries.length} entries in all\n`,
        );
        return 0;
      }
      case "baseline refresh":
        return await refreshCommand(config, text, io);
      case "verify":
        // Unless told otherwise, verify checks every framework of the tool's own: PyTorch
        // (the field's reference) included, unavailable with its reason where torch is missing.
        return await verifyCommand(
          text.frameworks === undefined ? { ...config, frameworks: [...config.frameworks, "pytorch"] } : config,
          io,
        );
      case "frameworks init":
        await initPins(config.frameworksDir ? resolve(config.frameworksDir) : resolve(PINS_DIR), packageRoot(), say);
        return 0;
      case "doctor":
        return await doctorCommand(config, io);
      case "data fetch":
        return await fetchData(config, text.datasets, io);
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
