/**
 * A Mermaid `xychart-beta` of the relative change per case (GitHub renders
 * Mermaid in comments and job summaries): each judged case's timing, this run
 * ÷ baseline, as a bar, and the regression threshold as a line (also named in
 * the title: a line through a single bar is a point, which Mermaid does not draw). A ratio reads
 * the same for a case at 3 images/s and one at 3,000, and the cases are
 * categories side by side, never points of a series.
 */
import type { CaseComparison, Comparison } from "../judge/compare.js";
import { METRICS } from "../core/metrics.js";

/** Mermaid string literal: no quotes or line breaks can escape it. */
function label(text: string): string {
  return `"${text.replace(/["\\\r\n\u2028\u2029`]/g, " ")}"`;
}

function num(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

interface Point {
  name: string;
  ratio: number;
  threshold: number;
}

function pointOf(c: CaseComparison, threshold: number, withWorkload: boolean): Point[] {
  const m = c.metrics.find((x) => METRICS[x.metric].judge === "timing");
  if (m?.baseline === undefined || m.current === undefined || !(m.baseline > 0)) return [];
  const name = `${withWorkload ? `${c.workload} · ` : ""}${c.framework} (${c.device})`;
  return [{ name, ratio: m.current / m.baseline, threshold: 1 + (c.threshold ?? threshold) }];
}

/** The chart for a comparison's judged cases, or "" when no case has a figure on both sides. */
export function renderChart(comparison: Pick<Comparison, "cases" | "threshold">): string {
  const workloads = new Set(comparison.cases.map((c) => c.workload));
  const points = comparison.cases.flatMap((c) => pointOf(c, comparison.threshold, workloads.size > 1));
  if (points.length === 0) return "";
  const top = Math.max(1.2, ...points.map((p) => Math.max(p.ratio, p.threshold)));
  // Round the axis up to a tenth above the tallest bar, so the tallest never touches the frame.
  const max = Math.ceil(top * 1.1 * 10) / 10;
  // Bars start at the axis's low end: from 0, a 5% move is a twentieth of a bar; from just below the
  // fastest case (0.8 at most), the moves are what the eye compares.
  const bottom = Math.min(...points.map((p) => p.ratio));
  const min = Math.max(0, Math.min(0.8, Math.floor((bottom - 0.1) * 10) / 10));
  const thresholds = [...new Set(points.map((p) => num(p.threshold)))];
  const marked = `threshold${thresholds.length > 1 ? "s" : ""} ${thresholds.join(", ")}`;
  // Mermaid's default is 500 px tall whatever the bar count: a few bars would be thick slabs.
  const size = { height: Math.min(500, 120 + 50 * points.length), width: 700 };
  // Horizontal: one bar per case, their names on the side where long names stay legible.
  const lines = [
    "```mermaid",
    `%%{init: {"xyChart": {"height": ${size.height}, "width": ${size.width}}}}%%`,
    "xychart-beta horizontal",
    `  title ${label(`Median time per batch or step, this run ÷ baseline (${marked})`)}`,
    `  x-axis [${points.map((p) => label(p.name)).join(", ")}]`,
    `  y-axis ${label("this run ÷ baseline")} ${num(min)} --> ${num(max)}`,
    `  bar [${points.map((p) => num(p.ratio)).join(", ")}]`,
    // A line through one bar is a single point, which Mermaid does not draw: the title names the threshold.
    ...(points.length > 1 ? [`  line [${points.map((p) => num(p.threshold)).join(", ")}]`] : []),
    "```",
    "",
    `Bars: each judged case's median time, this run ÷ baseline, drawn from ${num(min)} (1 is unchanged, beyond 1 slower). ` +
      (points.length > 1
        ? `Line: the regression threshold (${thresholds.join(", ")}); a bar past it`
        : "A bar past the threshold") +
      " is a regression when the rank test confirms it.",
  ];
  return lines.join("\n");
}
