/** Reading, merging and writing the baseline file. */
import { readVersionedJson, writeJsonAtomic } from "./files.js";
import { caseId, dataOf } from "../core/case-id.js";
import type { Results } from "../core/results-schema.js";
import { matchKey, testbedOf, type TestbedMatch } from "../core/testbed.js";
import { BASELINE_SCHEMA_VERSION, baselineSchema, type Baseline, type BaselineEntry } from "../core/baseline-schema.js";

/**
 * Raw samples kept per series and entry. 200 is five full-profile runs of 40
 * batches: plenty for the rank test, and it keeps the file reviewable.
 */
export const MAX_BASELINE_SAMPLES = 200;

/** Evenly spaced samples, first and last kept, when there are more than `max`. */
export function capSamples(values: readonly number[], max = MAX_BASELINE_SAMPLES): number[] {
  if (values.length <= max) return [...values];
  return Array.from({ length: max }, (_, i) => values[Math.round((i * (values.length - 1)) / (max - 1))] ?? NaN);
}

/** The baseline at `path`, or undefined when there is none yet. Malformed files throw. */
export function readBaseline(path: string): Promise<Baseline | undefined> {
  return readVersionedJson(path, baselineSchema, "baseline", BASELINE_SCHEMA_VERSION, true);
}

export function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  return writeJsonAtomic(path, baselineSchema.parse(baseline));
}

/**
 * Merges a run into a baseline: each successful case replaces the entry of the
 * same testbed and case, or is added; every other entry is kept as it was, in
 * its place. Failed and unavailable cases never overwrite a good figure.
 */
export function mergeIntoBaseline(
  baseline: Baseline | undefined,
  results: Results,
  commit?: string,
  match: TestbedMatch = "hardware",
): Baseline {
  const testbed = testbedOf(results.environment);
  // An entry of the same case on the same testbed (as `match` sees it) is replaced, not kept beside.
  const key = (e: Pick<BaselineEntry, "testbed" | "case">) => `${matchKey(e.testbed, match)}\u0000${caseId(e.case)}`;
  const fresh = new Map<string, BaselineEntry>();
  for (const c of results.cases) {
    if (c.status !== "ok") continue;
    const entry: BaselineEntry = {
      testbed,
      case: {
        workload: c.workload,
        framework: c.framework.id,
        device: c.device,
        profile: c.profile,
        ...(dataOf(c.params) === "synthetic" ? { data: "synthetic" as const } : {}),
      },
      ...(c.framework.version ? { frameworkVersion: c.framework.version } : {}),
      ...(c.parameterCount !== undefined ? { parameterCount: c.parameterCount } : {}),
      metrics: c.metrics,
      samples: Object.fromEntries(Object.entries(c.samples).map(([k, v]) => [k, capSamples(v)])),
      source: { createdAt: results.createdAt, ...(commit ? { commit } : {}) },
    };
    fresh.set(key(entry), entry);
  }
  const replaced = new Set<string>();
  const entries = (baseline?.entries ?? []).flatMap((e) => {
    const k = key(e);
    if (replaced.has(k)) return []; // another entry of a case just replaced (kept apart by strict matching)
    const replacement = fresh.get(k);
    if (!replacement) return [e];
    fresh.delete(k);
    replaced.add(k);
    return [replacement];
  });
  return { schemaVersion: BASELINE_SCHEMA_VERSION, entries: [...entries, ...fresh.values()] };
}
