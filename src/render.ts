/**
 * Markdown for a comparison: pure, from values only, for the terminal, the job
 * summary and (later) the PR comment.
 */
import { markdownTable } from "markdown-table";
import { METRICS, type MetricName } from "./metrics.js";
import {
  VERDICTS,
  type CaseComparison,
  type Comparison,
  type MetricComparison,
  type MetricVerdict,
} from "./compare.js";
import { testbedKey } from "./testbed.js";
import { ALPHA } from "./judge.js";

export const VERDICT_LABELS: Record<MetricVerdict, string> = {
  info: "ℹ️ for reference",
  regression: "🔴 regression",
  failed: "💥 failed",
  inconclusive: "🟡 inconclusive",
  improvement: "🟢 improvement",
  unchanged: "⚪ unchanged",
  new: "🆕 new",
  "not-judged": "➖ not judged",
  missing: "❔ missing",
  unavailable: "🚫 unavailable",
};

/**
 * Makes an untrusted string (an error message, a path) safe inside a table
 * cell: no pipes or newlines to break the row, no HTML, no @-mentions.
 */
export function escapeCell(text: string): string {
  return text
    .replace(/\r?\n/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/@/g, "@\u200b")
    .trim();
}

/** Four significant digits, without exponent noise for everyday magnitudes. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined) return "–";
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

/** A relative change as a percentage; an accuracy change in percentage points. */
export function formatChange(change: number | undefined, metric?: MetricName): string {
  if (change === undefined) return "–";
  const sign = change >= 0 ? "+" : "";
  if (metric && METRICS[metric].judge === "accuracy") return `${sign}${change.toFixed(2)} pp`;
  return `${sign}${(change * 100).toFixed(1)}%`;
}

function metricLabel(metric: MetricName): string {
  const info = METRICS[metric];
  return `${info.label} (${info.unit}, ${info.better} is better)`;
}

function frameworkCell(c: CaseComparison): string {
  const { baseline, current } = c.versions;
  if (baseline && current && baseline !== current) return `${c.framework} ${baseline} → ${current}`;
  const v = current ?? baseline;
  return v ? `${c.framework} ${v}` : c.framework;
}

function rows(c: CaseComparison): string[][] {
  const lead = [c.workload, frameworkCell(c), c.device];
  if (c.metrics.length === 0) return [[...lead, "–", "–", "–", "–", VERDICT_LABELS[c.verdict]]];
  return c.metrics.map((m: MetricComparison) => [
    ...lead,
    metricLabel(m.metric),
    formatNumber(m.baseline),
    formatNumber(m.current),
    formatChange(m.change, m.metric),
    VERDICT_LABELS[m.verdict],
  ]);
}

export function headline(comparison: Comparison): string {
  const parts = VERDICTS.filter((v) => comparison.counts[v] > 0).map(
    (v) => `${comparison.counts[v]} ${VERDICT_LABELS[v].split(" ").slice(1).join(" ")}`,
  );
  const verdict = comparison.regressed ? "🔴 Performance regressed" : "✅ No regression";
  return `${verdict}: ${parts.join(", ") || "no cases"}`;
}

export interface RenderContext {
  profile: string;
  baselinePath: string;
  runUrl?: string;
}

export function renderComparison(comparison: Comparison, context: RenderContext): string {
  const lines: string[] = ["## rosetta-bench", "", `**${headline(comparison)}**`, ""];
  const threshold = `${formatNumber(comparison.threshold * 100)}%`;
  lines.push(
    `Profile \`${escapeCell(context.profile)}\` · timing threshold ${threshold} with a rank test at p < ${ALPHA} · ` +
      `accuracy tolerance ${formatNumber(comparison.accuracyTolerance)} pp · testbed ${escapeCell(testbedKey(comparison.testbed))}`,
  );
  if (!comparison.hasBaseline) {
    lines.push("", `No baseline at \`${escapeCell(context.baselinePath)}\`: figures are reported, not judged.`);
  }
  lines.push(
    "",
    markdownTable([
      ["Workload", "Framework", "Device", "Metric", "Baseline", "Current", "Change", "Verdict"],
      ...comparison.cases.flatMap(rows),
    ]),
  );

  const notes = comparison.cases.filter((c) => c.note);
  if (notes.length) {
    lines.push(
      "",
      ...notes.map((c) => `- \`${escapeCell(c.id)}\` ${VERDICT_LABELS[c.verdict]}: ${escapeCell(c.note ?? "")}`),
    );
  }
  if (comparison.crossChecks.length) {
    lines.push("", "Same model in every framework (features on one seeded input, max relative difference):", "");
    for (const x of comparison.crossChecks) {
      const mark = x.passed ? "✅" : "❌";
      lines.push(
        `- ${mark} ${escapeCell(x.workload)}: ${escapeCell(x.framework)} vs ${escapeCell(x.reference)}: ${formatNumber(x.maxRelativeDifference)} (tolerance ${formatNumber(x.tolerance)})`,
      );
    }
  }
  if (context.runUrl) lines.push("", `[Workflow run](${context.runUrl})`);
  return lines.join("\n") + "\n";
}
