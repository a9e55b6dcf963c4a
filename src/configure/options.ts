/**
 * Every input of the action and every flag of the CLI, defined once: name,
 * default, accepted values and help text. `action.yml`'s inputs and the
 * README's flag and input tables are generated from this table by
 * `npm run build` (`npm run build:check`, and __tests__/configure/options.test.ts,
 * fail when they drift); the CLI's usage text and its per-command flag parsing
 * are built from it at run time.
 */
import { DEFAULT_FRAMEWORKS, DEFAULT_WORKLOADS, FRAMEWORK_IDS, PROFILE_IDS, WORKLOAD_IDS } from "../core/catalog.js";

export const COMMANDS = [
  "run",
  "compare",
  "describe",
  "verify",
  "baseline update",
  "baseline refresh",
  "data fetch",
  "doctor",
  "frameworks init",
] as const;
export type CommandId = (typeof COMMANDS)[number];

/** What each command does, one line, for `--help`. */
export const COMMAND_SUMMARY: Record<CommandId, { usage: string; summary: string }> = {
  run: { usage: "run [options]", summary: "run the benchmarks, compare with the baseline, print the report" },
  compare: { usage: "compare [options]", summary: "compare a results file with the baseline" },
  describe: { usage: "describe WORKLOAD [options]", summary: "the model's layers and parameter count" },
  verify: {
    usage: "verify [options]",
    summary:
      "the same seeded models in every framework: ResNet-50's features and the CNN's and GRU's first training step must agree",
  },
  "baseline update": { usage: "baseline update [options]", summary: "merge a results file into the baseline" },
  "baseline refresh": {
    usage: "baseline refresh [options]",
    summary: "merge results into the baseline and commit it (a branch with a pull request, or a direct push)",
  },
  "data fetch": { usage: "data fetch [options]", summary: "fetch and verify datasets into the data folder" },
  "frameworks init": {
    usage: "frameworks init [options]",
    summary: "write .rosetta-bench/frameworks (package.json and lockfile) from rosetta-bench's own pins",
  },
  doctor: {
    usage: "doctor [options]",
    summary: "what this machine can measure: GPUs, driver, CUDA libraries, and each framework on each device",
  },
};

export interface OptionDef {
  /** The action input's name; the CLI flag's too unless `flag` says otherwise. */
  readonly name: string;
  /** The CLI flag (without `--`); `false`: the action only. */
  readonly flag?: string | false;
  /** `false`: the CLI only. */
  readonly input?: false;
  /** The CLI placeholder of the value; absent: a switch that takes no value. */
  readonly arg?: string;
  /** The default as a value both front ends accept; absent: none, or computed (see `defaultText`). */
  readonly default?: string;
  /** The action's default where it differs from the CLI's; `""`: computed by the action (none in action.yml). */
  readonly actionDefault?: string;
  /** How the default reads in the docs when it is computed or differs between front ends. */
  readonly defaultText?: string;
  /** How the action's computed default (`actionDefault: ""`) reads in the docs. */
  readonly actionDefaultText?: string;
  readonly description: string;
  /** The CLI commands that take this flag. */
  readonly commands: readonly CommandId[];
  /** A CLI flag that may be given more than once (its values reach the input joined by newlines). */
  readonly multiple?: true;
}

const RUNS = ["run", "baseline refresh"] as const satisfies readonly CommandId[];
const JUDGES = ["run", "compare", "baseline refresh"] as const satisfies readonly CommandId[];

export const OPTIONS: readonly OptionDef[] = [
  {
    name: "mode",
    flag: false,
    default: "run",
    description:
      "run (benchmark, compare, report); comment (post the report of an earlier run from its results file, on workflow_run; runs no code of the pull request); report (one report and one comment for several results files, such as a matrix's downloaded artifacts, each testbed judged against its own baseline entries); or refresh-baseline (merge a release's results into the baseline and commit it).",
    commands: [],
  },
  {
    name: "frameworks",
    arg: "LIST",
    default: DEFAULT_FRAMEWORKS.join(","),
    description: `Frameworks to run, comma- or newline-separated: ${FRAMEWORK_IDS.join(", ")}. verify, without it, checks the default and pytorch.`,
    commands: [...RUNS, "verify"],
  },
  {
    name: "workloads",
    arg: "LIST",
    default: DEFAULT_WORKLOADS.join(","),
    description: `Workloads to run, comma- or newline-separated: ${WORKLOAD_IDS.join(", ")}.`,
    commands: RUNS,
  },
  {
    name: "profile",
    arg: "NAME",
    default: "smoke",
    description: `${PROFILE_IDS.join(", ")}: smoke runs a few steps on synthetic training data and a few small ResNet-50 batches (a fresh machine); quick runs 100 training steps and 20 ResNet-50 batches on the real data (PR gating on a GPU runner); full is the reference exactly.`,
    commands: RUNS,
  },
  {
    name: "device",
    arg: "NAME",
    default: "auto",
    description:
      "auto (the GPUs when nvidia-smi lists one, else the CPU), cpu, gpu (every GPU visible to the job), or gpu:N / gpu:N,M (those GPUs, as nvidia-smi numbers them; the workers get CUDA_VISIBLE_DEVICES).",
    commands: [...RUNS, "verify"],
  },
  {
    name: "baseline-path",
    flag: "baseline",
    arg: "FILE",
    default: ".rosetta-bench/baseline.json",
    description: "Baseline file in the repository.",
    commands: [...JUDGES, "baseline update"],
  },
  {
    name: "results-path",
    flag: "results",
    arg: "FILE",
    multiple: true,
    default: "rosetta-bench-results.json",
    actionDefault: "",
    defaultText: "`rosetta-bench-results.json`; the action: `$RUNNER_TEMP/rosetta-bench/results.json`",
    actionDefaultText: "`$RUNNER_TEMP/rosetta-bench/results.json`",
    description:
      "Where this run's results file is written (compare and baseline update read it; compare takes several, or a folder of them, for one report across their testbeds); the action's default is $RUNNER_TEMP/rosetta-bench/results.json.",
    commands: [...JUDGES, "baseline update"],
  },
  {
    name: "report-path",
    flag: "report",
    arg: "FILE",
    defaultText: "the results path with `.md`",
    description: "Where the markdown report is written (default: the results path with .md).",
    commands: JUDGES,
  },
  {
    name: "threshold",
    arg: "PCT",
    default: "5%",
    description: "Slowdown that counts as a regression, in percent.",
    commands: JUDGES,
  },
  {
    name: "workload-thresholds",
    arg: "LIST",
    description: "Per-workload thresholds that replace threshold, such as resnet50-features=3%.",
    commands: JUDGES,
  },
  {
    name: "accuracy-tolerance",
    arg: "PTS",
    default: "1.0",
    description: "Test-accuracy drop, in percentage points, that counts as a regression (training workloads).",
    commands: JUDGES,
  },
  {
    name: "fail-on-regression",
    default: "false",
    actionDefault: "true",
    defaultText: "off; the action: `true`",
    description: "Fail (exit status 1) when a case regressed or failed (true or false).",
    commands: JUDGES,
  },
  {
    name: "failed-is-regression",
    arg: "BOOL",
    default: "true",
    description: "Whether a failed case counts as a regression for gating (true or false).",
    commands: JUDGES,
  },
  {
    name: "allow-empty",
    arg: "BOOL",
    default: "false",
    description:
      "Whether a run in which no case produced figures (every case unavailable or failed) passes the gate; by default it fails it (true or false).",
    commands: JUDGES,
  },
  {
    name: "testbed-match",
    arg: "MODE",
    default: "hardware",
    description:
      "hardware: figures are compared on the same OS, CPU and GPU models, and a changed driver or CUDA version is judged and named in the report; strict: the driver and CUDA version are part of the testbed, so a change starts a new baseline.",
    commands: [...JUDGES, "baseline update"],
  },
  {
    name: "frameworks-dir",
    arg: "DIR",
    defaultText: "`.rosetta-bench/frameworks` when it exists, else the tool's own pins",
    description:
      "Folder with the framework pins to measure: an npm package.json and package-lock.json (Dependabot bumps them; file: and tarball specs work), relative to the repository under test. Default: .rosetta-bench/frameworks when it exists, else rosetta-bench's own pinned versions.",
    commands: [...RUNS, "verify", "doctor", "frameworks init"],
  },
  {
    name: "workers",
    flag: "worker",
    arg: "NAME=COMMAND",
    multiple: true,
    defaultText: "none",
    description:
      "Programs that speak the worker protocol (schemas/case-spec.schema.json in, schemas/worker-message.schema.json out), each run as one more framework named NAME: one NAME=COMMAND (or 'NAME: COMMAND') per line; the CLI's --worker may be repeated.",
    commands: [...RUNS, "verify"],
  },
  {
    name: "confirm-regressions",
    default: "false",
    actionDefault: "true",
    defaultText: "off; the action: `true`",
    description: "Re-run a case that looks like a regression and decide on the pooled samples of both runs.",
    commands: RUNS,
  },
  {
    name: "trend",
    arg: "N",
    default: "10",
    description:
      "Past versions of the baseline shown as each judged case's trend in the report: the last N commits that changed the baseline file (at most 20, read with git where the baseline is committed; in the action, check out with fetch-depth: 0); 0 shows none.",
    commands: JUDGES,
  },
  {
    name: "case-timeout",
    arg: "SEC",
    default: "3600",
    description: "Seconds after which a case is killed and reported as failed.",
    commands: [...RUNS, "verify", "doctor"],
  },
  {
    name: "seed",
    arg: "N",
    default: "1",
    description: "Seed of the input data.",
    commands: [...RUNS, "verify"],
  },
  {
    name: "python",
    arg: "PATH",
    default: "python3",
    description:
      "The Python interpreter that runs the pytorch framework's worker (workloads/pytorch); it must import torch and torchvision. A missing interpreter or torch makes the pytorch cases unavailable, with the reason. Debian: /usr/bin/python3 with python3-torch and python3-torchvision.",
    commands: [...RUNS, "verify", "doctor"],
  },
  {
    name: "threads",
    arg: "N",
    defaultText: "all cores",
    description:
      "Intra-op threads for frameworks that take a count: onnxruntime-node, PyTorch, and tfjs's wasm backend (at most 8 there; 1 runs its single-threaded build). The count that ran is in each case's framework details (default: all cores).",
    commands: [...RUNS, "verify"],
  },
  {
    name: "data-dir",
    arg: "DIR",
    defaultText: "`$XDG_CACHE_HOME/rosetta-bench` or `~/.cache/rosetta-bench`",
    description:
      "Folder the datasets are cached in (default ~/.cache/rosetta-bench, or $XDG_CACHE_HOME/rosetta-bench). The action also restores and saves each dataset file with the Actions cache.",
    commands: [...RUNS, "data fetch"],
  },
  {
    name: "data-mirror",
    arg: "URL",
    defaultText: "the official hosts",
    description:
      "Base URL serving cifar-10-binary.tar.gz and imdb.npz, used instead of their official hosts. Files are still checked against their pinned digests.",
    commands: [...RUNS, "data fetch"],
  },
  {
    name: "offline",
    default: "false",
    defaultText: "off",
    description: "Use only the dataset files already in data-dir and make no request (true or false).",
    commands: [...RUNS, "data fetch"],
  },
  {
    name: "synthetic-data",
    default: "false",
    defaultText: "off (smoke: always)",
    description:
      "Train on synthetic data of the real shapes whatever the profile: the profile's steps and batch sizes, no dataset fetched (an air-gapped runner). Timing only: the accuracy means nothing, and the case ids end in /synthetic, so these figures never meet real-data ones (true or false).",
    commands: [...RUNS],
  },
  {
    name: "datasets",
    input: false,
    arg: "LIST",
    default: "cifar10,imdb",
    description: "Datasets to fetch: cifar10, imdb.",
    commands: ["data fetch"],
  },
  {
    name: "framework",
    input: false,
    arg: "ID",
    defaultText: "the architecture alone",
    description: "Describe the model as this framework builds it.",
    commands: ["describe"],
  },
  {
    name: "json",
    input: false,
    defaultText: "off",
    description: "Print the description as JSON.",
    commands: ["describe"],
  },
  {
    name: "commit",
    input: false,
    arg: "SHA",
    description: "Commit recorded with the baseline entries.",
    commands: ["baseline update"],
  },
  {
    name: "comment",
    flag: false,
    default: "always",
    description:
      "Sticky PR comment: always, on-regression (an existing comment is still updated when the regression is gone), or never.",
    commands: [],
  },
  {
    name: "comment-id",
    flag: false,
    default: "default",
    description: "Identifies this job's sticky comment, so that several jobs can each keep their own.",
    commands: [],
  },
  {
    name: "comment-author",
    flag: false,
    defaultText: "the token's own login; `github-actions[bot]` for the Actions token",
    description:
      "Login whose sticky comment the action updates; a comment with the marker by anyone else is left alone (default: the token's own login, github-actions[bot] for the Actions token).",
    commands: [],
  },
  {
    name: "github-token",
    flag: false,
    default: "${{ github.token }}",
    description:
      "Token for the sticky PR comment (needs pull-requests write; read-only tokens fall back to the job summary).",
    commands: [],
  },
  {
    name: "results-files",
    arg: "A,B",
    defaultText: "run the configured cases",
    description:
      "report and refresh-baseline: results files (newline- or comma-separated paths, folders or globs such as artifacts/**/*.json), such as a matrix's downloaded artifacts; refresh-baseline merges them (empty: it runs the configured cases), report compares them in one report.",
    commands: ["baseline refresh"],
  },
  {
    name: "baseline-push",
    flag: "push",
    arg: "MODE",
    default: "pull-request",
    description:
      "refresh-baseline: pull-request (a branch rosetta-bench/baseline-<tag> and a pull request) or direct (push to the default branch).",
    commands: ["baseline refresh"],
  },
  {
    name: "refresh-tag",
    flag: "tag",
    arg: "NAME",
    defaultText: "the release's tag (`GITHUB_REF_NAME`)",
    description: "refresh-baseline: the name the branch and commit carry (default: the release's tag).",
    commands: ["baseline refresh"],
  },
  {
    name: "base-branch",
    arg: "NAME",
    defaultText: "the repository's default branch",
    description: "refresh-baseline: the branch the baseline lives on (default: the repository's default branch).",
    commands: ["baseline refresh"],
  },
  {
    name: "commit-user-name",
    arg: "NAME",
    defaultText: "`github-actions[bot]`",
    description: "refresh-baseline: commit author and committer name (default: github-actions[bot]).",
    commands: ["baseline refresh"],
  },
  {
    name: "commit-user-email",
    arg: "EMAIL",
    defaultText: "the Actions bot's noreply address",
    description: "refresh-baseline: commit author and committer email (default: the Actions bot's noreply address).",
    commands: ["baseline refresh"],
  },
  {
    name: "commit-message",
    arg: "TEXT",
    defaultText: "`Refresh the rosetta-bench baseline for <tag>`",
    description:
      "refresh-baseline: commit message and pull request title (default: Refresh the rosetta-bench baseline for <tag>).",
    commands: ["baseline refresh"],
  },
  {
    name: "commit-trailers",
    arg: "LINES",
    description: "refresh-baseline: trailer lines added to the commit message, one per line (Signed-off-by: ..., say).",
    commands: ["baseline refresh"],
  },
  {
    name: "push-attempts",
    arg: "N",
    default: "3",
    description: "refresh-baseline: how many times to re-apply the results and push when the branch moved meanwhile.",
    commands: ["baseline refresh"],
  },
  {
    name: "repository",
    input: false,
    arg: "OWNER/NAME",
    defaultText: "`$GITHUB_REPOSITORY`",
    description: "Repository to open the refresh pull request on (with GITHUB_TOKEN set).",
    commands: ["baseline refresh"],
  },
];

/** The CLI flag of an option, or undefined when the option is the action's only. */
export function flagOf(option: OptionDef): string | undefined {
  return option.flag === false ? undefined : (option.flag ?? option.name);
}

/** The action inputs, in table order. */
export const ACTION_INPUTS = OPTIONS.filter((o) => o.input !== false);

/** The options a CLI command takes. */
export function optionsOf(command: CommandId): OptionDef[] {
  return OPTIONS.filter((o) => o.commands.includes(command) && flagOf(o) !== undefined);
}

export function optionNamed(name: string): OptionDef {
  const option = OPTIONS.find((o) => o.name === name);
  if (!option) throw new Error(`no option named '${name}'`);
  return option;
}

/** The CLI's `--help`, built from the table. */
export function usageText(version: string): string {
  const lines = [
    `rosetta-bench ${version}: deep-learning performance, compared with a committed baseline`,
    "",
    "Usage:",
  ];
  for (const c of COMMANDS) {
    const { usage, summary } = COMMAND_SUMMARY[c];
    lines.push(`  rosetta-bench ${usage.padEnd(28)} ${summary}`);
  }
  lines.push("  rosetta-bench --help | --version", "");
  const seen = new Set<OptionDef>();
  for (const c of COMMANDS) {
    const opts = optionsOf(c);
    if (!opts.length) continue;
    const fresh = opts.filter((o) => !seen.has(o));
    const shared = opts.filter((o) => seen.has(o)).map((o) => `--${flagOf(o)}`);
    lines.push(`Options of ${c}:`);
    for (const o of fresh) {
      seen.add(o);
      const head = `--${flagOf(o)}${o.arg ? ` ${o.arg}` : ""}`;
      const dflt = cliDefaultText(o);
      lines.push(`  ${head.padEnd(26)} ${o.description}${dflt ? ` [default: ${dflt}]` : ""}`);
    }
    if (shared.length) lines.push(`  and ${shared.join(", ")} (above)`);
    lines.push("");
  }
  lines.push("Exit status: 0 done, 1 regression (with --fail-on-regression) or a failure, 2 bad usage or input.");
  return lines.join("\n") + "\n";
}

function cliDefaultText(o: OptionDef): string | undefined {
  const text = o.defaultText ?? (o.default !== undefined ? `\`${o.default}\`` : undefined);
  return text?.replace(/`/g, "");
}

/** The README's command list and flag table (markdown), built from the table. */
export function readmeFlagTable(): string {
  const commands = COMMANDS.map((c) => {
    const { usage, summary } = COMMAND_SUMMARY[c];
    return `rosetta-bench ${usage.padEnd(28)} ${summary}`;
  });
  const rows = OPTIONS.filter((o) => flagOf(o) !== undefined).map((o) => {
    const flag = `\`--${flagOf(o)}${o.arg ? ` ${o.arg}` : ""}\``;
    const dflt = o.defaultText ?? (o.default !== undefined ? `\`${o.default}\`` : "–");
    const commands = o.commands.length === COMMANDS.length ? "all" : o.commands.join(", ");
    return `| ${flag} | ${dflt} | ${commands} | ${o.description.replace(/\|/g, "\\|").replace(/</g, "&lt;")} |`;
  });
  return [
    "```",
    ...commands,
    "```",
    "",
    "| flag | default | commands | what |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** The action's default of an option as the docs show it. */
function actionDefaultText(o: OptionDef): string {
  if (o.actionDefault === "") return o.actionDefaultText ?? "computed by the action";
  if (o.actionDefault !== undefined) return `\`${o.actionDefault}\``;
  if (o.default !== undefined) return `\`${o.default}\``;
  return o.defaultText ?? "–";
}

/** The README's table of the action's inputs (markdown), built from the table. */
export function readmeInputTable(): string {
  const rows = ACTION_INPUTS.map(
    (o) =>
      `| \`${o.name}\` | ${actionDefaultText(o).replace(/\|/g, "\\|")} | ${o.description.replace(/\|/g, "\\|").replace(/</g, "&lt;")} |`,
  );
  return ["| input | default | what |", "| --- | --- | --- |", ...rows].join("\n");
}

/** The `inputs:` block of action.yml, built from the table. */
export function actionInputsYaml(): string {
  const lines = ["inputs:"];
  for (const o of ACTION_INPUTS) {
    lines.push(`  ${o.name}:`, `    description: ${JSON.stringify(o.description)}`);
    const dflt = o.actionDefault ?? o.default;
    if (dflt !== undefined && dflt !== "") lines.push(`    default: ${JSON.stringify(dflt)}`);
  }
  return lines.join("\n") + "\n";
}

/** A block of a committed file that is generated from the table. */
export interface GeneratedBlock {
  readonly file: "action.yml" | "README.md";
  /** Where the block starts (kept) and ends (kept); what lies between is replaced. */
  readonly begin: RegExp;
  readonly end: RegExp;
  /** The block from `begin` up to `end`. */
  readonly text: () => string;
}

const marker = (name: string) => `<!-- ${name}:begin (generated from src/configure/options.ts by npm run build) -->`;

export const GENERATED_BLOCKS: readonly GeneratedBlock[] = [
  { file: "action.yml", begin: /^inputs:$/m, end: /^outputs:$/m, text: () => actionInputsYaml() + "\n" },
  {
    file: "README.md",
    begin: /<!-- flags:begin/,
    end: /<!-- flags:end -->/,
    text: () => `${marker("flags")}\n\n${readmeFlagTable()}\n\n`,
  },
  {
    file: "README.md",
    begin: /<!-- inputs:begin/,
    end: /<!-- inputs:end -->/,
    text: () => `${marker("inputs")}\n\n${readmeInputTable()}\n\n`,
  },
];

/** `text` (the content of `file`) with each of its generated blocks replaced by what the table gives now. */
export function spliceGenerated(file: GeneratedBlock["file"], text: string): string {
  for (const block of GENERATED_BLOCKS.filter((b) => b.file === file)) {
    const from = text.search(block.begin);
    const to = text.search(block.end);
    if (from < 0 || to < from)
      throw new Error(`${file}: cannot find the generated block (${block.begin} … ${block.end})`);
    text = text.slice(0, from) + block.text() + text.slice(to);
  }
  return text;
}
