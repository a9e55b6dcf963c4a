/**
 * Prints how the regression decision behaves on simulated CI noise: the
 * false-alarm rate on A/A pairs and the detection rate of real slowdowns, per
 * sample count. Run: npm run bench:decisions
 */
import { simulateDecisions } from "./lib/simulate.js";

const PAIRS = 2000;
const rows: string[] = [];
for (const samples of [4, 10, 20, 40]) {
  for (const slowdown of [0, 0.02, 0.05, 0.1]) {
    const r = simulateDecisions({ seed: 1000 + samples, pairs: PAIRS, samples, slowdown });
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6);
    rows.push(
      `${String(samples).padStart(7)}  ${pct(slowdown)}  ${pct(r.regression)}  ${pct(r.inconclusive)}  ${pct(r.unchanged)}  ${pct(r.improvement)}`,
    );
  }
}
console.log(
  `Simulated pairs per row: ${PAIRS}; noise: log-normal, CV 3–5%, 3% outliers slowed 20–50%; threshold 5%, α = 0.01`,
);
console.log("samples  slowdn  regres  inconc  unchgd  improv");
console.log(rows.join("\n"));
