/** Labels and number formats shared by every rendering of a comparison. */
import type { MetricVerdict } from "../judge/compare.js";
import { METRICS, type MetricName } from "../core/metrics.js";

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
