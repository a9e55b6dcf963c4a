/**
 * The run configuration, parsed once from action inputs or CLI flags into one
 * frozen, typed object. Both front ends go through `parseConfig`, so the rules
 * and the messages are the same.
 */
import { TESTBED_MATCHES, type TestbedMatch } from "../core/testbed.js";
import os from "node:os";
import { constants, existsSync } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import {
  type ExternalWorker,
  FRAMEWORK_IDS,
  PROFILE_IDS,
  WORKLOAD_IDS,
  type FrameworkId,
  type ProfileId,
  type WorkloadId,
} from "../core/catalog.js";
import { defaultDataDir, expandHome } from "../data/data-dir.js";
import { DEVICES, type Device } from "../core/protocol.js";
import { optionNamed } from "./options.js";
import {
  InputError,
  readBoolean,
  readChoice,
  readInteger,
  readList,
  readBaseUrl,
  readNumber,
  readPercent,
  readPercentMap,
} from "./readers.js";
import { TREND_MAX_VERSIONS } from "../store/baseline-history.js";

export const INPUT_NAMES = [
  "frameworks",
  "workloads",
  "profile",
  "device",
  "baseline-path",
  "results-path",
  "report-path",
  "threshold",
  "workload-thresholds",
  "accuracy-tolerance",
  "fail-on-regression",
  "failed-is-regression",
  "allow-empty",
  "testbed-match",
  "frameworks-dir",
  "workers",
  "confirm-regressions",
  "trend",
  "case-timeout",
  "seed",
  "python",
  "threads",
  "data-dir",
  "data-mirror",
  "offline",
  "synthetic-data",
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

export interface Config {
  readonly frameworks: readonly FrameworkId[];
  readonly workloads: readonly WorkloadId[];
  readonly profile: ProfileId;
  readonly device: Device | "auto";
  /** From `gpu:N[,M]`: the GPUs to use, as nvidia-smi numbers them; absent: every visible GPU. */
  readonly gpuIndices?: readonly number[];
  readonly baselinePath: string;
  readonly resultsPath: string;
  readonly reportPath: string;
  /** Fraction: 0.05 is 5%. */
  readonly threshold: number;
  /** Per-workload thresholds (fractions) that replace `threshold`. */
  readonly workloadThresholds: Readonly<Partial<Record<WorkloadId, number>>>;
  /** Percentage points of test accuracy a training case may lose. */
  readonly accuracyTolerance: number;
  readonly failOnRegression: boolean;
  /** A failed case counts as a regression for gating. */
  readonly failedIsRegression: boolean;
  /** A run that measured nothing passes the gate. */
  readonly allowEmpty: boolean;
  /** hardware: a driver or CUDA change is judged; strict: it is part of the testbed. */
  readonly testbedMatch: TestbedMatch;
  /** The framework pins folder named by the user (relative to the repository under test), if any. */
  readonly frameworksDir?: string;
  /** Programs that speak the worker protocol, each run as one more framework. */
  readonly externalWorkers: readonly ExternalWorker[];
  /** Re-run a case that looks like a regression and decide on the pooled samples. */
  readonly confirmRegressions: boolean;
  /** Past versions of the baseline (git commits that changed it, ≤ 20) read for the report's trend; 0: none. */
  readonly trendVersions: number;
  /** Per case, in seconds. */
  readonly caseTimeoutS: number;
  readonly seed: number;
  /** The interpreter of the pytorch worker: a command on PATH or a path. */
  readonly python: string;
  readonly threads: number;
  /** Absolute path of the folder datasets are cached in. */
  readonly dataDir: string;
  /** Base URL to fetch dataset files from instead of their official hosts. */
  readonly dataMirror?: string;
  /** Use only the copies in dataDir; make no request. */
  readonly offline: boolean;
  /** Train on synthetic data whatever the profile (timing only; ids end in /synthetic). */
  readonly syntheticData: boolean;
}

export const DEFAULT_BASELINE_PATH = optionNamed("baseline-path").default ?? "";

/**
 * The CLI's defaults, from the options table (src/configure/options.ts), with the
 * two that depend on the machine computed here. The action overrides some (see
 * `actionDefault` in the table).
 */
export function defaultInputs(): Record<InputName, string> {
  const fromTable = Object.fromEntries(INPUT_NAMES.map((n) => [n, optionNamed(n).default ?? ""])) as Record<
    InputName,
    string
  >;
  return { ...fromTable, threads: String(os.availableParallelism()), "data-dir": defaultDataDir() };
}

/** The defaults the table gives the action where they differ from the CLI's. */
export function actionInputOverrides(): Partial<Record<InputName, string>> {
  const out: Partial<Record<InputName, string>> = {};
  for (const n of INPUT_NAMES) {
    const d = optionNamed(n).actionDefault;
    if (d !== undefined && d !== "") out[n] = d;
  }
  return out;
}

/** `auto`, `cpu`, `gpu`, or `gpu:N` / `gpu:N,M` (GPUs as nvidia-smi numbers them). */
export function readDevice(label: string, raw: string): { device: Device | "auto"; gpuIndices?: readonly number[] } {
  const value = raw.trim();
  const list = /^gpu:(.*)$/i.exec(value)?.[1];
  if (list === undefined) return { device: readChoice(label, value, ["auto", ...DEVICES] as const) };
  const parts = list.split(",").map((p) => p.trim());
  if (parts.length === 0 || !parts.every((p) => /^\d{1,3}$/.test(p))) {
    throw new InputError(
      `${label}: '${raw}' is not accepted; accepted: auto, cpu, gpu, or gpu:N with one or more GPU numbers, such as gpu:0 or gpu:0,1`,
    );
  }
  return { device: "gpu", gpuIndices: Object.freeze([...new Set(parts.map(Number))]) };
}

/**
 * The pytorch worker's interpreter: a command looked up on PATH (python3), or a
 * path, made absolute when relative. One that does not exist is not a usage
 * error: the pytorch cases report it as unavailable, and the others run.
 */
export function readPython(label: string, raw: string): string {
  const value = raw.trim();
  if (!value || /[\n\r\0]/.test(value)) {
    throw new InputError(
      `${label}: '${raw}' is not accepted; accepted: a Python interpreter's path, or a command on PATH`,
    );
  }
  return value.includes("/") ? resolve(expandHome(value)) : value;
}

/**
 * `name=command` or `name: command` entries, one per line (the CLI's repeated
 * `--worker` flags arrive joined by newlines). A name is a new framework id.
 */
export function readWorkers(label: string, raw: string): ExternalWorker[] {
  const out: ExternalWorker[] = [];
  for (const line of raw
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)) {
    const m = /^([a-z][a-z0-9._-]{0,39})\s*(?:=|:\s)\s*(\S.*)$/.exec(line);
    if (!m) {
      throw new InputError(
        `${label}: '${line}' is not accepted; accepted: NAME=COMMAND (or 'NAME: COMMAND'), NAME in lower-case letters, digits, '.', '_' or '-'`,
      );
    }
    const [, name, command] = m as unknown as [string, string, string];
    if ((FRAMEWORK_IDS as readonly string[]).includes(name) || out.some((w) => w.name === name)) {
      throw new InputError(`${label}: '${name}' is already a framework; give the worker another name`);
    }
    out.push({ name, command });
  }
  return out;
}

/**
 * Builds the configuration. `get` returns a raw value or undefined (then the
 * default applies); `label` names an input as the user sees it (an action input
 * or a CLI flag) for error messages.
 */
export function parseConfig(
  get: (name: InputName) => string | undefined,
  label: (name: InputName) => string,
  defaults: Record<InputName, string> = defaultInputs(),
): Config {
  const raw = (name: InputName): string => {
    const v = get(name);
    return v === undefined || v.trim() === "" ? defaults[name] : v;
  };
  const resultsPath = raw("results-path").trim();
  // A results path that is a device (/dev/stdin for compare) has no sibling to write the report to.
  const isDevice = /^\/(dev|proc)\//.test(resultsPath);
  const reportPath =
    raw("report-path").trim() || (isDevice ? "rosetta-bench-results.md" : resultsPath.replace(/\.json$/i, "") + ".md");
  const mirror = raw("data-mirror").trim();
  const config: Config = {
    frameworks: readList(label("frameworks"), raw("frameworks"), FRAMEWORK_IDS),
    workloads: readList(label("workloads"), raw("workloads"), WORKLOAD_IDS),
    profile: readChoice(label("profile"), raw("profile"), PROFILE_IDS),
    ...readDevice(label("device"), raw("device")),
    baselinePath: raw("baseline-path").trim(),
    resultsPath,
    reportPath,
    threshold: readPercent(label("threshold"), raw("threshold")),
    workloadThresholds: Object.freeze(
      readPercentMap(label("workload-thresholds"), raw("workload-thresholds"), WORKLOAD_IDS),
    ),
    accuracyTolerance: readNumber(label("accuracy-tolerance"), raw("accuracy-tolerance"), 0, 100),
    failOnRegression: readBoolean(label("fail-on-regression"), raw("fail-on-regression")),
    failedIsRegression: readBoolean(label("failed-is-regression"), raw("failed-is-regression")),
    allowEmpty: readBoolean(label("allow-empty"), raw("allow-empty")),
    testbedMatch: readChoice(label("testbed-match"), raw("testbed-match"), TESTBED_MATCHES),
    externalWorkers: readWorkers(label("workers"), raw("workers")),
    ...(raw("frameworks-dir").trim() ? { frameworksDir: raw("frameworks-dir").trim() } : {}),
    confirmRegressions: readBoolean(label("confirm-regressions"), raw("confirm-regressions")),
    trendVersions: readInteger(label("trend"), raw("trend"), 0, TREND_MAX_VERSIONS),
    caseTimeoutS: readInteger(label("case-timeout"), raw("case-timeout"), 1, 7 * 24 * 3600),
    seed: readInteger(label("seed"), raw("seed"), 0, 2 ** 32 - 1),
    python: readPython(label("python"), raw("python")),
    threads: readInteger(label("threads"), raw("threads"), 1, 1024),
    dataDir: resolve(expandHome(raw("data-dir").trim())),
    ...(mirror ? { dataMirror: readBaseUrl(label("data-mirror"), mirror) } : {}),
    offline: readBoolean(label("offline"), raw("offline")),
    syntheticData: readBoolean(label("synthetic-data"), raw("synthetic-data")),
  };
  // An output that is also an input would overwrite it: compare paths as files, not as strings.
  const same = (a: string, b: string) => resolve(a) === resolve(b);
  if (same(config.reportPath, config.resultsPath)) {
    throw new InputError(
      `${label("report-path")}: '${config.reportPath}' is also the results path; choose another file`,
    );
  }
  for (const name of ["report-path", "results-path"] as const) {
    const path = name === "report-path" ? config.reportPath : config.resultsPath;
    if (same(path, config.baselinePath)) {
      throw new InputError(
        `${label(name)}: '${path}' is the baseline file ('${config.baselinePath}'); writing there would overwrite the baseline; choose another file`,
      );
    }
  }
  if (config.offline && config.dataMirror) {
    throw new InputError(
      `${label("data-mirror")}: '${config.dataMirror}' is set with ${label("offline")}, which makes no request; set one of them`,
    );
  }
  return Object.freeze(config);
}

/**
 * Fails fast, naming the input, when an output file cannot be written: found
 * only after the benchmark, the figures of a long run would be lost. Checks
 * the file when it exists, else the nearest folder above it that does.
 */
export async function checkWritable(path: string, label: string): Promise<void> {
  const fail = (why: string) => {
    throw new InputError(`${label}: '${path}' cannot be written: ${why}`);
  };
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) fail("it is a folder; name a file");
  let target = resolve(path);
  if (!info) {
    target = dirname(target);
    for (;;) {
      const dir = await stat(target).catch(() => undefined);
      if (dir) {
        if (!dir.isDirectory()) fail(`'${target}' is a file, not a folder`);
        break;
      }
      const up = dirname(target);
      if (up === target) break;
      target = up;
    }
  }
  await access(target, info ? constants.W_OK : constants.W_OK | constants.X_OK).catch((err: NodeJS.ErrnoException) =>
    fail(
      `${err.code === "EACCES" || err.code === "EPERM" || err.code === "EROFS" ? "permission denied" : err.code} on '${target}'`,
    ),
  );
}

/**
 * The framework pins of the repository under test (`repoRoot`): the folder the
 * user named, which must hold a package.json, or `.rosetta-bench/frameworks`
 * when it has one; undefined: the tool's own pinned frameworks.
 */
export function pinsDirOf(config: Config, repoRoot: string, label: string): string | undefined {
  if (config.frameworksDir) {
    const dir = resolve(repoRoot, expandHome(config.frameworksDir));
    if (!existsSync(join(dir, "package.json"))) {
      throw new InputError(
        `${label}: '${config.frameworksDir}' holds no package.json; accepted: a folder with the framework pins (package.json and package-lock.json), such as one 'rosetta-bench frameworks init' writes`,
      );
    }
    return dir;
  }
  const fallback = join(repoRoot, ".rosetta-bench", "frameworks");
  return existsSync(join(fallback, "package.json")) ? fallback : undefined;
}
