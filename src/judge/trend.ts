/**
 * Each judged case's trend: its timing figure in the baseline's past versions
 * (same case, same testbed, as the comparison matched them), oldest first, then
 * this run's. A version that carries an entry unchanged from the one before adds
 * no point: the trend moves only where the baseline did.
 */
import type { Baseline, BaselineEntry } from "../core/baseline-schema.js";
import { caseId } from "../core/case-id.js";
import { METRICS } from "../core/metrics.js";
import { matchKey, type TestbedMatch } from "../core/testbed.js";
import type { CaseComparison, Comparison } from "./compare.js";

export interface TrendPoint {
  /** The version's release tag or date; "this run" for the last point. */
  label: string;
  value: number;
}

/** A past version of the baseline, as the trend needs it. */
export interface PastBaseline {
  label: string;
  baseline: Baseline;
}

function entryOf(baseline: Baseline, id: string, testbed: string, match: TestbedMatch): BaselineEntry | undefined {
  let found: BaselineEntry | undefined;
  for (const e of baseline.entries) {
    if (caseId(e.case) !== id || matchKey(e.testbed, match) !== testbed) continue;
    if (!found || e.source.createdAt > found.source.createdAt) found = e;
  }
  return found;
}

function trendOf(c: CaseComparison, past: readonly PastBaseline[], testbed: string, match: TestbedMatch) {
  const judged = c.metrics.find((m) => METRICS[m.metric].judge === "timing");
  if (judged?.current === undefined || judged.baseline === undefined) return undefined;
  const points: TrendPoint[] = [];
  let previous: string | undefined;
  for (const version of past) {
    const e = entryOf(version.baseline, c.id, testbed, match);
    const value = e?.metrics[judged.metric];
    if (!e || value === undefined) continue;
    const key = `${e.source.createdAt} ${value}`;
    if (key === previous) continue;
    previous = key;
    points.push({ label: version.label, value });
  }
  // One past point is the baseline the table already shows: a trend needs two.
  if (points.length < 2) return undefined;
  return [...points, { label: "this run", value: judged.current }];
}

/** The comparison with a trend on every judged case whose figure the past versions hold at least twice. */
export function withTrends(
  comparison: Comparison,
  past: readonly PastBaseline[],
  match: TestbedMatch = "hardware",
): Comparison {
  if (past.length < 2) return comparison;
  const testbed = matchKey(comparison.testbed, match);
  return {
    ...comparison,
    cases: comparison.cases.map((c) => {
      const trend = trendOf(c, past, testbed, match);
      return trend ? { ...c, trend } : c;
    }),
  };
}
