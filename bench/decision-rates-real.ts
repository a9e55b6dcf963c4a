/**
 * The regression decision on REAL noise: replays the runs `record-noise` kept
 * (each a separate `rosetta-bench run` of one case on this machine) as A/A pairs
 * and as injected slowdowns, and prints how often each rule raises a false alarm
 * and how often it detects a slowdown, per profile and samples per side.
 *
 *   node scripts/bench.mjs decision-rates-real -- [recording.json ...] [--pairs 500] [--threshold 0.05]
 *
 * Without files it replays every recording in bench/noise/.
 *
 * Each side of a pair comes from different runs (the between-run drift is the
 * noise that matters: the baseline was measured on another day than the pull
 * request); a side of r runs pools their samples. A slowdown multiplies the
 * current side's samples; each run keeps the CPU share others took while it
 * ran. Where a profile's runs hold more batches than the profile takes (quick
 * recorded at 20), the replay also takes each run's first 10, as a 10-batch
 * profile would have measured them.
 *
 * Rules, each as the pipeline applies it (src/judge/decide.ts, compare.ts, confirm.ts):
 *   first run only    one run a side; the median beyond the threshold and the rank test
 *                     confirming a shift of MARGIN_SHARE of it;
 *   confirmed         + confirm-regressions (the action's default): a case that looks
 *                     like a regression (or is inconclusive, slower) runs once more and
 *                     is decided on both runs' samples pooled;
 *   + CPU share       + the CPU-share rule (the pipeline's rule): a CPU case's regression is
 *                     inconclusive when others took CPU_SHARED_LIMIT or more of the machine
 *                     in any of its runs, unless it slowed down by more than they explain;
 *   gate 0.6, margin 0.5  `confirmed` judging moves past 60% of the threshold and confirming
 *                     50% of it: what detecting a slowdown the size of the threshold takes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { judgeMetric, type JudgeOptions } from "../src/judge/decide.js";
import { CPU_SHARED_LIMIT, slowdownExplainedBy } from "../src/run/cpu-share.js";
import { median } from "../src/judge/statistics.js";
import { SeededRandom } from "../workloads/rng.js";
import type { Recording, RecordedRun } from "./record-noise.js";

const { values, positionals } = parseArgs({
  // scripts/bench.mjs passes its own argument (the script name) first.
  args: process.argv.slice(3).filter((a) => a !== "--"),
  allowPositionals: true,
  options: { pairs: { type: "string", default: "500" }, threshold: { type: "string", default: "0.05" } },
});
const PAIRS = Number(values.pairs);
const THRESHOLD = Number(values.threshold);
if (!Number.isInteger(PAIRS) || PAIRS < 1 || !(THRESHOLD > 0 && THRESHOLD < 1)) {
  console.error(
    `decision-rates-real: --pairs must be a whole number ≥ 1 and --threshold a fraction in (0, 1) (found '${values.pairs}', '${values.threshold}')`,
  );
  process.exit(2);
}
// By default every recording kept in bench/noise.
const files = positionals.length
  ? positionals
  : readdirSync("bench/noise")
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => join("bench/noise", f));
const SLOWDOWNS = [0, 0.02, 0.03, 0.05, 0.1];

type Verdict = "regression" | "improvement" | "inconclusive" | "unchanged";

interface Run {
  samples: number[];
  share: number | undefined;
}

interface Rule {
  name: string;
  judge: JudgeOptions;
  confirm: boolean;
  /** Others' CPU share from which a regression is inconclusive; Infinity: no such rule. */
  cpuLimit: number;
}

function judgeOnce(base: number[], cur: number[], shares: Array<number | undefined>, rule: Rule): Verdict {
  const { verdict } = judgeMetric(
    "batch_s_median",
    { value: median(base), samples: base },
    { value: median(cur), samples: cur },
    rule.judge,
  );
  if (verdict === "info") return "unchanged";
  // compare.ts: a pooled figure is as shared as its most shared run, and neighbours excuse only the
  // slowdown they could explain.
  const share = Math.max(0, ...shares.map((s) => s ?? 0));
  const explained = (1 + THRESHOLD) * slowdownExplainedBy(share);
  if (verdict === "regression" && share >= rule.cpuLimit && median(cur) / median(base) <= explained)
    return "inconclusive";
  return verdict;
}

/** `count` distinct runs, none of them in `taken`. */
function draw(rng: SeededRandom, runs: readonly Run[], count: number, taken: Set<number>): Run[] {
  const out: Run[] = [];
  while (out.length < count) {
    const i = Math.floor(rng.next() * runs.length);
    if (taken.has(i)) continue;
    taken.add(i);
    out.push(runs[i] as Run);
  }
  return out;
}

function decide(rng: SeededRandom, runs: readonly Run[], perSide: number, slowdown: number, rule: Rule): Verdict {
  const taken = new Set<number>();
  const slowed = (rs: Run[]) => rs.flatMap((r) => r.samples.map((v) => v * (1 + slowdown)));
  const baseline = draw(rng, runs, perSide, taken).flatMap((r) => r.samples);
  const first = draw(rng, runs, perSide, taken);
  const v = judgeOnce(
    baseline,
    slowed(first),
    first.map((r) => r.share),
    rule,
  );
  // confirm.ts looksLikeRegression: a regression, or an inconclusive move the slow way.
  const suspect =
    v === "regression" || (v === "inconclusive" && median(slowed(first)) > median(baseline) * (1 + THRESHOLD));
  if (!rule.confirm || !suspect) return v;
  const again = draw(rng, runs, perSide, taken);
  return judgeOnce(
    baseline,
    [...slowed(first), ...slowed(again)],
    [...first, ...again].map((r) => r.share),
    rule,
  );
}

const base = { threshold: THRESHOLD, accuracyTolerance: 1 };
const RULES: Rule[] = [
  { name: "first run only", judge: base, confirm: false, cpuLimit: Infinity },
  { name: "confirmed", judge: base, confirm: true, cpuLimit: Infinity },
  { name: `confirmed + CPU share < ${CPU_SHARED_LIMIT}`, judge: base, confirm: true, cpuLimit: CPU_SHARED_LIMIT },
  // What chasing a 5% slowdown at a 5% threshold would take: judge moves past 60% of it, confirm 50%.
  {
    name: "confirmed, gate 0.6, margin 0.5",
    judge: { ...base, gateShare: 0.6, marginShare: 0.5 },
    confirm: true,
    cpuLimit: Infinity,
  },
];

function pearson(x: readonly number[], y: readonly number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((xi, i) => {
    const dy = (y[i] ?? my) - my;
    sxy += (xi - mx) * dy;
    sxx += (xi - mx) ** 2;
    syy += dy ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const fmtShare = (s: number | undefined) => (s === undefined ? "–" : s.toFixed(2));

for (const file of files) {
  const recording = JSON.parse(readFileSync(file, "utf8")) as Recording;
  const profiles = [...new Set(recording.runs.map((r) => r.profile))];
  const first = recording.runs[0]?.startedAt ?? "?";
  const last = recording.runs.at(-1)?.startedAt ?? "?";
  console.log(
    `${file}: ${recording.case.workload}/${recording.case.framework}/${recording.case.device} on ` +
      `${recording.machine.cpu} × ${recording.machine.cores} (${recording.machine.node}), ${recording.runs.length} runs, ${first} – ${last}`,
  );
  /** A profile's runs, and the same runs cut to their first `batches` samples where they hold more. */
  const variants: Array<{ profile: string; batches: number; runs: Run[] }> = [];
  for (const profile of profiles) {
    const recorded = recording.runs.filter((r: RecordedRun) => r.profile === profile);
    const n = Math.min(...recorded.map((r) => r.samples.length));
    const sizes = n >= 20 ? [10, n] : [n];
    for (const batches of sizes)
      variants.push({
        profile,
        batches,
        runs: recorded.map((r) => ({ samples: r.samples.slice(0, batches), share: r.cpuOthersShare })),
      });
  }
  for (const { profile, batches, runs } of variants) {
    const medians = runs.map((r) => median(r.samples));
    const mean = medians.reduce((a, b) => a + b, 0) / medians.length;
    const sd = Math.sqrt(medians.reduce((a, m) => a + (m - mean) ** 2, 0) / (medians.length - 1));
    const shares = runs.map((r) => r.share).filter((s): s is number => s !== undefined);
    const quiet = shares.filter((s) => s < CPU_SHARED_LIMIT).length;
    // How much of the between-run drift the CPU share explains: Pearson's r between a run's share and its median.
    const paired = runs.flatMap((r, i) => (r.share === undefined ? [] : [[r.share, medians[i] ?? NaN] as const]));
    const r = pearson(
      paired.map((p) => p[0]),
      paired.map((p) => p[1]),
    );
    console.log(
      `  ${profile} × ${batches} batches: ${runs.length} runs; run medians ${median(medians).toFixed(4)} s ` +
        `(between-run CV ${pct(sd / mean)}, slowest ÷ fastest ${(Math.max(...medians) / Math.min(...medians)).toFixed(2)}); ` +
        `others' CPU share ${shares.length ? `${fmtShare(Math.min(...shares))}–${fmtShare(Math.max(...shares))}, median ${fmtShare(median(shares))}` : "not recorded"}` +
        `${paired.length > 2 ? ` (r with the run median ${r.toFixed(2)})` : ""}, ${quiet} run(s) below ${CPU_SHARED_LIMIT}`,
    );
  }
  console.log(
    `\n| profile | samples a side (runs × batches) | rule | A/A false alarms | 2% called a regression | 3% called | 5% detected | 10% detected |`,
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const { profile, batches, runs } of variants) {
    for (const perSide of [1, 2]) {
      // A pair takes up to 3 × perSide distinct runs (baseline, first, confirmation).
      if (3 * perSide > runs.length) continue;
      // Without recorded shares the CPU-share rule has nothing to go on: its rows would repeat `confirmed`.
      const recorded = runs.some((run) => run.share !== undefined);
      for (const [r, rule] of RULES.entries()) {
        if (rule.cpuLimit !== Infinity && !recorded) continue;
        const rates = SLOWDOWNS.map((slowdown, s) => {
          const rng = new SeededRandom(1000 * perSide + 17 * s + 101 * r + batches);
          let regressions = 0;
          for (let i = 0; i < PAIRS; i++)
            if (decide(rng, runs, perSide, slowdown, rule) === "regression") regressions++;
          return regressions / PAIRS;
        });
        console.log(
          `| ${profile} | ${perSide * batches} (${perSide} × ${batches}) | ${rule.name} | ${rates.map(pct).join(" | ")} |`,
        );
      }
    }
  }
  console.log(`\n${PAIRS} pairs per cell; threshold ${pct(THRESHOLD)}, α = 0.01.\n`);
}
