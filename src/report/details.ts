/** The collapsed block of raw figures: every case's samples, summarised per side. */
import { markdownTable } from "markdown-table";
import type { CaseComparison } from "../judge/compare.js";
import { median } from "../judge/statistics.js";
import { escapeCell, formatNumber } from "./format.js";

function summary(values: readonly number[] | undefined): string[] {
  if (!values?.length) return ["–", "–", "–", "–"];
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return [
    String(values.length),
    formatNumber(median(values)),
    `${formatNumber(Math.min(...values))} – ${formatNumber(Math.max(...values))}`,
    values.length > 1 ? `${((100 * sd) / mean).toFixed(1)}%` : "–",
  ];
}

/** One row per case and side; `limit` caps the rows (the comment size limit). */
export function renderDetailsTable(
  cases: readonly CaseComparison[],
  limit = Infinity,
): { table: string; omitted: number } {
  const rows: string[][] = [];
  for (const c of cases) {
    if (!c.series) continue;
    const runs = c.runs > 1 ? ` (${c.runs} runs)` : "";
    if (c.series.current) rows.push([escapeCell(c.id), `this run${runs}`, c.series.name, ...summary(c.series.current)]);
    if (c.series.baseline) rows.push([escapeCell(c.id), "baseline", c.series.name, ...summary(c.series.baseline)]);
  }
  const kept = rows.slice(0, limit);
  if (kept.length === 0) return { table: "", omitted: rows.length };
  const header = ["Case", "Side", "Series", "Samples", "Median", "Range", "CV"];
  return { table: markdownTable([header, ...kept]), omitted: rows.length - kept.length };
}
