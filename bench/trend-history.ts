/**
 * What the report's trend costs: reading the baseline's last N versions from git
 * (one `git log`, then one `git show` per version), side by side in one run with
 * what the report costs without it (reading the baseline file, comparing and
 * rendering), on a repository with 20 versions of a realistic baseline.
 *
 *   node scripts/bench.mjs trend-history
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { readBaselineHistory } from "../src/store/baseline-history.js";
import { mergeIntoBaseline, readBaseline } from "../src/store/baseline-file.js";
import { compareWithBaseline } from "../src/judge/compare.js";
import { withTrends } from "../src/judge/trend.js";
import { renderComparison } from "../src/report/markdown.js";
import type { Baseline } from "../src/core/baseline-schema.js";
import type { CaseResult, Results } from "../src/core/results-schema.js";
import { SeededRandom } from "../workloads/rng.js";

const rng = new SeededRandom(14);
const FRAMEWORKS = ["onnxruntime-node", "tfjs", "tfjs-node"];
const PROFILES = ["smoke", "quick", "full"];

function run(cpu: string, release: number): Results {
  const cases: CaseResult[] = [];
  for (const framework of FRAMEWORKS) {
    for (const profile of PROFILES) {
      const batch = 0.08 * (1 + 0.01 * release) * (framework === "tfjs" ? 10 : 1);
      const samples = Array.from({ length: 40 }, () => batch * (1 + 0.03 * (rng.next() - 0.5)));
      cases.push({
        id: `resnet50-features/${framework}/cpu/${profile}`,
        workload: "resnet50-features",
        framework: { id: framework, version: "1.0.0" },
        device: "cpu",
        profile,
        params: { batchSize: 32, batches: 40, imageSize: 224, warmupPasses: 1 },
        status: "ok",
        parameterCount: 23_508_032,
        metrics: { images_per_s: 32 / batch, batch_s_median: batch, s_per_1000_images: (1000 * batch) / 32 },
        samples: { batch_s: samples },
        durationS: 30,
      });
    }
  }
  return {
    schemaVersion: 1,
    tool: { name: "rosetta-bench", version: "0.1.0" },
    createdAt: new Date(Date.UTC(2026, 0, 1 + release)).toISOString(),
    profile: "full",
    environment: {
      os: { platform: "linux", release: "6.1.0", arch: "x64" },
      cpu: { model: cpu, cores: 8 },
      memoryBytes: 2 ** 34,
      gpus: [],
      node: "v20.20.2",
      frameworks: { "onnxruntime-node": "1.0.0" },
    },
    cases,
    crossChecks: [],
  } as unknown as Results;
}

const dir = mkdtempSync(join(os.tmpdir(), "rb-trend-"));
const git = (...args: string[]) =>
  execFileSync("git", ["-C", dir, "-c", "user.name=b", "-c", "user.email=b@e", ...args], { encoding: "utf8" });
execFileSync("git", ["init", "-q", "-b", "main", dir]);
mkdirSync(join(dir, ".rosetta-bench"));
const path = join(dir, ".rosetta-bench", "baseline.json");
let baseline: Baseline | undefined;
for (let release = 0; release < 20; release++) {
  for (const cpu of ["CPU A", "CPU B", "CPU C"]) baseline = mergeIntoBaseline(baseline, run(cpu, release));
  writeFileSync(path, JSON.stringify(baseline, null, 2) + "\n");
  writeFileSync(join(dir, "code.txt"), `${release}\n`);
  git("add", "-A");
  git("commit", "-q", "-m", `Refresh the rosetta-bench baseline for v1.${release}`);
}

const current = run("CPU B", 21);
const config = { threshold: 0.05, accuracyTolerance: 1, workloadThresholds: {}, failedIsRegression: true };
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1] ?? NaN;
async function timed(fn: () => Promise<unknown>, reps = 7): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

const report = async () => {
  const b = await readBaseline(path);
  return renderComparison(compareWithBaseline(current, b, config), { profile: "full", baselinePath: path });
};
const plain = await timed(report);
console.log(`machine: ${os.cpus()[0]?.model ?? "unknown"} × ${os.availableParallelism()}, Node ${process.version}`);
console.log(
  `baseline: ${(statSync(path).size / 1024).toFixed(0)} KiB, ${baseline?.entries.length} entries, 20 versions in git`,
);
console.log(`report without the trend (read, compare, render): ${plain.toFixed(1)} ms (median of 7)`);
for (const n of [1, 5, 10, 20]) {
  const history = await timed(() => readBaselineHistory(path, n));
  const withTrend = await timed(async () => {
    const h = await readBaselineHistory(path, n);
    const b = await readBaseline(path);
    return renderComparison(withTrends(compareWithBaseline(current, b, config), h.versions), {
      profile: "full",
      baselinePath: path,
    });
  });
  console.log(
    `trend of ${String(n).padStart(2)} versions: history ${history.toFixed(1).padStart(6)} ms; ` +
      `report with it ${withTrend.toFixed(1).padStart(6)} ms (${(withTrend / plain).toFixed(1)}× the report without)`,
  );
}
