/** Labels and number formats shared by every rendering of a comparison. */
import type { MetricVerdict } from "../judge/compare.js";
import { METRICS, type MetricName } from "../core/metrics.js";
import { plainLine } from "../core/text.js";

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

export { plainLine };

/**
 * Makes an untrusted string (an error message, a path, a framework's own words)
 * inert inside a markdown table cell or list item: no line break to end the row
 * or start a heading, no HTML, no link, image, code span or emphasis, no
 * @-mention, no #123 reference and no bare URL that GitHub would turn into a link.
 */
export function escapeCell(text: string): string {
  return plainLine(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_~[\]!|#])/g, "\\$1")
    .replace(/@/g, "@\u200b")
    .replace(/#(?=\d)/g, "#\u200b")
    .replace(/:\/\//g, ":\u200b//")
    .replace(/www\./gi, (m) => `${m.slice(0, 3)}\u200b.`)
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
  const percent = change * 100;
  // Beyond a thousandfold a ratio reads better than a percentage, and never as "Infinity".
  if (Math.abs(percent) >= 1e5 || !Number.isFinite(percent)) return `${formatNumber(1 + change)}×`;
  return `${sign}${percent.toFixed(1)}%`;
}
