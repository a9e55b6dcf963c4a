/** The trend lines: each judged case's figure across the baseline's past versions, then this run. */
import type { CaseComparison } from "../judge/compare.js";
import { escapeCell, formatChange, formatNumber } from "./format.js";

const BARS = "▁▂▃▄▅▆▇█";

/** Eight-level bars from the lowest value to the highest (a flat series sits in the middle). */
export function sparkline(values: readonly number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return values.map((v) => (hi > lo ? BARS[Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))] : BARS[3])).join("");
}

/** One line per case with a trend, or none; `note` says why there is no history where that helps. */
export function renderTrend(cases: readonly CaseComparison[], note?: string): string[] {
  const withTrend = cases.filter((c) => c.trend && c.trend.length > 2);
  if (!withTrend.length) return note ? ["", `No trend: ${escapeCell(note)}.`] : [];
  const workloads = new Set(withTrend.map((c) => c.workload));
  const lines = withTrend.map((c) => {
    const points = c.trend ?? [];
    const last = points.at(-1);
    const before = points.at(-2);
    const change =
      last && before
        ? `, ${formatChange((last.value - before.value) / before.value)} on ${escapeCell(before.label)}`
        : "";
    const path = points
      .map((p, i) => `${formatNumber(p.value)} (${escapeCell(p.label)}${i === points.length - 1 ? change : ""})`)
      .join(" → ");
    const name = `${workloads.size > 1 ? `${escapeCell(c.workload)} · ` : ""}${escapeCell(c.framework)} (${escapeCell(c.device)})`;
    return `- ${name} ${sparkline(points.map((p) => p.value))} ${path}`;
  });
  return [
    "",
    "**Trend** of each judged case's median time (s) across the baseline's versions in git, oldest first, then this run:",
    "",
    ...lines,
  ];
}
