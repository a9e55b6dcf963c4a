/**
 * One workload on PyTorch, tfjs and onnxruntime-node side by side, through the
 * real orchestrator: each round is one `rosetta-bench run` of the three
 * frameworks (each case in its own worker process, as in CI), so a busy spell
 * of this shared machine falls on all of them alike. Prints each framework's
 * throughput per round, the medians, and every framework's ratio to PyTorch.
 *
 *   node scripts/bench.mjs frameworks -- [--workload resnet50-features] [--profile smoke] [--rounds 3]
 *                                        [--python /usr/bin/python3] [--threads N]
 *
 * A framework that does not implement the workload (onnxruntime-node trains
 * nothing) or cannot run here is named with its reason instead of a figure.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";
import { median } from "../src/judge/statistics.js";
import { WORKLOAD_IDS } from "../src/core/catalog.js";
import type { Results } from "../src/core/results-schema.js";

const { values } = parseArgs({
  // scripts/bench.mjs passes its own argument (the script name) first.
  args: process.argv.slice(3).filter((a) => a !== "--"),
  options: {
    workload: { type: "string", default: "resnet50-features" },
    profile: { type: "string", default: "smoke" },
    rounds: { type: "string", default: "3" },
    python: { type: "string", default: "/usr/bin/python3" },
    threads: { type: "string" },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`frameworks: --rounds must be a whole number of at least 1 (found '${values.rounds}')`);
  process.exit(2);
}
if (!(WORKLOAD_IDS as readonly string[]).includes(values.workload)) {
  console.error(`frameworks: --workload '${values.workload}' is not one of ${WORKLOAD_IDS.join(", ")}`);
  process.exit(2);
}
const FRAMEWORKS = ["pytorch", "tfjs", "onnxruntime-node"] as const;
const training = values.workload !== "resnet50-features";
const metric = training ? "samples_per_s" : "images_per_s";
const unit = training ? "samples/s" : "images/s";
const cli = resolve("dist", "cli.js");
const work = await mkdtemp(join(os.tmpdir(), "rb-frameworks-"));

const figures = new Map<string, number[]>(FRAMEWORKS.map((f) => [f, []]));
const missing = new Map<string, string>();
const versions: Record<string, string> = {};
let testbed = "";
try {
  for (let round = 1; round <= rounds; round++) {
    const results = join(work, `round-${round}.json`);
    const args = [
      cli,
      "run",
      ...["--frameworks", FRAMEWORKS.join(","), "--workloads", values.workload, "--profile", values.profile],
      ...["--device", "cpu", "--python", values.python, "--results", results, "--baseline", join(work, "none.json")],
      ...(values.threads ? ["--threads", values.threads] : []),
    ];
    // Exit status 1 is a failed case; its reason is in the results, read below.
    await promisify(execFile)(process.execPath, args, { cwd: work, maxBuffer: 64 << 20 }).catch(
      (err: { code?: number }) => {
        if (err.code !== 1) throw err;
      },
    );
    const parsed = JSON.parse(await readFile(results, "utf8")) as Results;
    for (const c of parsed.cases) if (c.framework.version) versions[c.framework.id] = c.framework.version;
    testbed = `${parsed.environment.cpu.model} (${parsed.environment.cpu.cores} cores), ${os.platform()}`;
    const line: string[] = [];
    for (const framework of FRAMEWORKS) {
      const c = parsed.cases.find((x) => x.framework.id === framework);
      const value = c?.status === "ok" ? c.metrics[metric] : undefined;
      if (value !== undefined) {
        figures.get(framework)!.push(value);
        line.push(`${framework} ${value.toFixed(2)}`);
      } else {
        missing.set(framework, c ? `${c.status}: ${c.reason ?? "no figure"}` : `does not implement ${values.workload}`);
      }
    }
    console.log(`round ${round}/${rounds}: ${line.join(", ")} ${unit}`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

console.log(
  `\n${values.workload}, ${values.profile} profile, on ${testbed}; ${rounds} round(s), median of the rounds:`,
);
const torch = figures.get("pytorch")!;
const reference = torch.length ? median(torch) : undefined;
for (const framework of FRAMEWORKS) {
  const xs = figures.get(framework)!;
  const name = `${framework} ${versions[framework] ?? ""}`.trim().padEnd(26);
  if (!xs.length) {
    console.log(`  ${name} –  (${missing.get(framework) ?? "no figure"})`);
    continue;
  }
  const m = median(xs);
  const ratio = reference ? `  ${(m / reference).toFixed(2)}× PyTorch's throughput` : "";
  console.log(`  ${name} ${m.toFixed(2).padStart(9)} ${unit}${ratio}`);
}
