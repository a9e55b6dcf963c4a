/**
 * Records the real noise of one case on this machine: the case is run again and
 * again, each time as its own `rosetta-bench run` (a new worker process, as in
 * CI), and every run's raw batch times are kept. The profiles take turns, so a
 * slow spell of the machine falls on all of them alike. `decision-rates-real`
 * replays these samples.
 *
 *   node scripts/bench.mjs record-noise -- --runs 30 --profiles smoke,quick --out bench/noise/this-machine.json
 *
 * Options: --runs N (per profile, default 30), --profiles LIST (default smoke,quick),
 * --framework ID (default onnxruntime-node), --workload ID (default resnet50-features),
 * --out FILE (default bench/noise/recorded.json), --cli FILE (the rosetta-bench to run,
 * default dist/cli.js). The file is rewritten after
 * every run, so an interrupted recording keeps what it had.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  // scripts/bench.mjs passes its own argument (the script name) first.
  args: process.argv.slice(3).filter((a) => a !== "--"),
  options: {
    runs: { type: "string", default: "30" },
    profiles: { type: "string", default: "smoke,quick" },
    framework: { type: "string", default: "onnxruntime-node" },
    workload: { type: "string", default: "resnet50-features" },
    out: { type: "string", default: "bench/noise/recorded.json" },
    cli: { type: "string", default: "dist/cli.js" },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 2) {
  console.error(`record-noise: --runs must be a whole number of at least 2 (found '${values.runs}')`);
  process.exit(2);
}
const profiles = values.profiles.split(",").map((p) => p.trim());
const out = resolve(values.out);
const cli = resolve(values.cli);
const work = mkdtempSync(join(os.tmpdir(), "rb-noise-"));

export interface RecordedRun {
  profile: string;
  startedAt: string;
  /** The machine's 1-minute load average when the run started: how busy the shared cores were. */
  load: number;
  series: string;
  samples: number[];
  /** Other processes' share of the machine's CPU while the run's case ran (results' cpuOthersShare). */
  cpuOthersShare?: number;
}
export interface Recording {
  machine: { cpu: string; cores: number; node: string };
  case: { workload: string; framework: string; device: "cpu" };
  runs: RecordedRun[];
}

const recording: Recording = {
  machine: { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.availableParallelism(), node: process.version },
  case: { workload: values.workload, framework: values.framework, device: "cpu" },
  runs: [],
};

function save(): void {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, JSON.stringify(recording, null, 1) + "\n");
  renameSync(`${out}.tmp`, out);
}

for (let i = 0; i < runs; i++) {
  for (const profile of profiles) {
    const results = join(work, `${profile}-${i}.json`);
    const startedAt = new Date().toISOString();
    const load = os.loadavg()[0] ?? 0;
    const run = spawnSync(
      process.execPath,
      [
        cli,
        "run",
        "--frameworks",
        values.framework,
        "--workloads",
        values.workload,
        "--profile",
        profile,
        "--device",
        "cpu",
        "--results",
        results,
      ],
      { cwd: work, encoding: "utf8" },
    );
    if (run.status !== 0) {
      console.error(`run ${i + 1} (${profile}) failed (exit ${run.status}): ${run.stderr.slice(-500)}`);
      continue;
    }
    const parsed = JSON.parse(readFileSync(results, "utf8")) as {
      cases: Array<{ status: string; samples: Record<string, number[]>; cpuOthersShare?: number }>;
    };
    const c = parsed.cases[0];
    const [series, samples] = Object.entries(c?.samples ?? {})[0] ?? [];
    if (c?.status !== "ok" || !series || !samples) {
      console.error(`run ${i + 1} (${profile}): the case did not measure (${c?.status})`);
      continue;
    }
    const share = c.cpuOthersShare;
    recording.runs.push({
      profile,
      startedAt,
      load,
      series,
      samples,
      ...(share !== undefined ? { cpuOthersShare: share } : {}),
    });
    save();
    const med = [...samples].sort((a, b) => a - b)[samples.length >> 1] ?? NaN;
    console.log(
      `${profile} run ${i + 1}/${runs}: ${samples.length} samples, median ${med.toFixed(4)} s, load ${load}, others' CPU share ${share ?? "–"}`,
    );
  }
}
console.log(`${recording.runs.length} runs recorded in ${out}`);
