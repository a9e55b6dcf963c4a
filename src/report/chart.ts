/**
 * A Mermaid `xychart-beta` per workload (GitHub renders Mermaid in comments and
 * job summaries): this run's throughput as bars, the baseline's as a line.
 */
import type { CaseComparison } from "../judge/compare.js";
import { METRICS } from "../core/metrics.js";

const CHART_METRIC = "images_per_s";

/** Mermaid string literal: no quotes or line breaks can escape it. */
function label(text: string): string {
  return `"${text.replace(/["\\\r\n]/g, " ")}"`;
}

function num(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

/** The chart for one workload's cases, or "" when no case has a figure to draw. */
export function renderChart(workload: string, cases: readonly CaseComparison[]): string {
  const points = cases.flatMap((c) => {
    const m = c.metrics.find((x) => x.metric === CHART_METRIC);
    return m?.current !== undefined
      ? [{ name: `${c.framework} (${c.device})`, current: m.current, baseline: m.baseline }]
      : [];
  });
  if (points.length === 0) return "";
  const info = METRICS[CHART_METRIC];
  const lines = [
    "```mermaid",
    "xychart-beta",
    `  title ${label(`${workload}: ${info.label} (${info.unit}, ${info.better} is better)`)}`,
    `  x-axis [${points.map((p) => label(p.name)).join(", ")}]`,
    `  y-axis ${label(info.unit)}`,
    `  bar [${points.map((p) => num(p.current)).join(", ")}]`,
  ];
  // A line needs a value at every point; draw the baseline only where it is complete.
  if (points.every((p) => p.baseline !== undefined)) {
    lines.push(`  line [${points.map((p) => num(p.baseline ?? 0)).join(", ")}]`);
  }
  lines.push(
    "```",
    "",
    points.every((p) => p.baseline !== undefined) ? "Bars: this run. Line: baseline." : "Bars: this run.",
  );
  return lines.join("\n");
}
