/**
 * The regression decision on REAL noise: replays the runs `record-noise` kept
 * (each a separate `rosetta-bench run` of one case on this machine) as A/A pairs
 * and as injected slowdowns, and prints how often each rule raises a false alarm
 * and how often it detects a slowdown, per profile and samples per side.
 *
 *   node scripts/bench.mjs decision-rates-real -- [recording.json ...] [--pairs 500]
 *
 * Each side of a pair comes from different runs (the between-run drift is the
 * noise that matters: the baseline was measured on another day than the pull
 * request); a side of r runs pools their samples. A slowdown multiplies the
 * current side's samples. Rules:
 *   batch        today's rule: median beyond the threshold and the rank test on the
 *                batch samples (margin 0.7 of the threshold), one run a side;
 *   confirmed    today's rule with confirm-regressions (the action's default): a
 *                suspected regression is re-run and decided on both runs pooled;
 *   both-runs    the run as the unit: a regression only when the first run and the
 *                confirmation run are each judged a regression on their own;
 *   wide-margin  `confirmed` with the rank test confirming the whole threshold
 *                (margin 1.0).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { judgeMetric, type JudgeOptions } from "../src/judge/decide.js";
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
const files = positionals.length ? positionals : ["bench/noise/recorded.json"];
const SLOWDOWNS = [0, 0.02, 0.03, 0.05, 0.1];

type Verdict = "regression" | "improvement" | "inconclusive" | "unchanged";

function judge(base: number[], cur: number[], options: JudgeOptions): Verdict {
  const { verdict } = judgeMetric(
    "batch_s_median",
    { value: median(base), samples: base },
    { value: median(cur), samples: cur },
    options,
  );
  return verdict === "info" ? "unchanged" : verdict;
}

/** `count` distinct runs, none of them in `taken`. */
function draw(rng: SeededRandom, runs: readonly RecordedRun[], count: number, taken: Set<number>): RecordedRun[] {
  const out: RecordedRun[] = [];
  while (out.length < count) {
    const i = Math.floor(rng.next() * runs.length);
    if (taken.has(i)) continue;
    taken.add(i);
    out.push(runs[i] as RecordedRun);
  }
  return out;
}

const pooled = (runs: readonly RecordedRun[], factor = 1) => runs.flatMap((r) => r.samples.map((v) => v * factor));

interface Rule {
  name: string;
  /** Runs a side for the first decision; a confirmation run more on the current side where the rule re-runs. */
  decide(rng: SeededRandom, runs: readonly RecordedRun[], perSide: number, slowdown: number): Verdict;
}

const base = { threshold: THRESHOLD, accuracyTolerance: 1 };

function firstAndConfirmation(rng: SeededRandom, runs: readonly RecordedRun[], perSide: number, slowdown: number) {
  const taken = new Set<number>();
  const baseline = pooled(draw(rng, runs, perSide, taken));
  const first = pooled(draw(rng, runs, perSide, taken), 1 + slowdown);
  const again = () => pooled(draw(rng, runs, perSide, taken), 1 + slowdown);
  return { baseline, first, again };
}

const RULES: Rule[] = [
  {
    name: "batch",
    decide(rng, runs, perSide, slowdown) {
      const { baseline, first } = firstAndConfirmation(rng, runs, perSide, slowdown);
      return judge(baseline, first, base);
    },
  },
  {
    name: "confirmed",
    decide(rng, runs, perSide, slowdown) {
      const { baseline, first, again } = firstAndConfirmation(rng, runs, perSide, slowdown);
      const v = judge(baseline, first, base);
      return v === "regression" ? judge(baseline, [...first, ...again()], base) : v;
    },
  },
  {
    name: "both-runs",
    decide(rng, runs, perSide, slowdown) {
      const { baseline, first, again } = firstAndConfirmation(rng, runs, perSide, slowdown);
      const v = judge(baseline, first, base);
      if (v !== "regression") return v;
      return judge(baseline, again(), base) === "regression" ? "regression" : "inconclusive";
    },
  },
  {
    name: "wide-margin",
    decide(rng, runs, perSide, slowdown) {
      const wide = { ...base, marginShare: 1 };
      const { baseline, first, again } = firstAndConfirmation(rng, runs, perSide, slowdown);
      const v = judge(baseline, first, wide);
      return v === "regression" ? judge(baseline, [...first, ...again()], wide) : v;
    },
  },
];

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

for (const file of files) {
  const recording = JSON.parse(readFileSync(file, "utf8")) as Recording;
  const profiles = [...new Set(recording.runs.map((r) => r.profile))];
  console.log(
    `${file}: ${recording.case.workload}/${recording.case.framework}/${recording.case.device} on ` +
      `${recording.machine.cpu} × ${recording.machine.cores} (${recording.machine.node}), ${recording.runs.length} runs`,
  );
  for (const profile of profiles) {
    const runs = recording.runs.filter((r) => r.profile === profile);
    const medians = runs.map((r) => median(r.samples));
    const spread = Math.max(...medians) / Math.min(...medians);
    const mean = medians.reduce((a, b) => a + b, 0) / medians.length;
    const sd = Math.sqrt(medians.reduce((a, m) => a + (m - mean) ** 2, 0) / (medians.length - 1));
    console.log(
      `  ${profile}: ${runs.length} runs of ${runs[0]?.samples.length} batches; run medians ${median(medians).toFixed(4)} s ` +
        `(between-run CV ${pct(sd / mean)}, slowest ÷ fastest ${spread.toFixed(2)})`,
    );
  }
  console.log(
    `\n| profile | samples a side (runs × batches) | rule | A/A false alarms | 2% called a regression | 3% called | 5% detected | 10% detected |`,
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const profile of profiles) {
    const runs = recording.runs.filter((r) => r.profile === profile);
    const batches = runs[0]?.samples.length ?? 0;
    for (const perSide of [1, 2, 4]) {
      // A pair takes up to 3 × perSide distinct runs (baseline, first, confirmation).
      if (3 * perSide > runs.length) continue;
      for (const rule of RULES) {
        const rates = SLOWDOWNS.map((slowdown, s) => {
          const rng = new SeededRandom(1000 * perSide + 17 * s + rule.name.length);
          let regressions = 0;
          for (let i = 0; i < PAIRS; i++) if (rule.decide(rng, runs, perSide, slowdown) === "regression") regressions++;
          return regressions / PAIRS;
        });
        console.log(
          `| ${profile} | ${perSide * batches} (${perSide} × ${batches}) | ${rule.name} | ${rates.map(pct).join(" | ")} |`,
        );
      }
    }
  }
  console.log(`\n${PAIRS} pairs per cell; threshold ${pct(THRESHOLD)}, α = 0.01.`);
}
