/**
 * Cross-framework agreement: every framework builds the same seeded model and
 * sees the same seeded input, so their features must agree up to float32
 * rounding. A disagreement means the frameworks did not run the same model.
 */
import type { CaseOutcome } from "../core/protocol.js";
import type { CaseSpec } from "../core/protocol.js";
import type { CrossCheck } from "../core/results-schema.js";

/**
 * Tolerance on the max relative difference. Measured here between tfjs (wasm)
 * and onnxruntime (CPU) on ResNet-50 features: about 1e-6; different
 * convolution algorithms (Winograd, TF32 on GPUs) stay well below 1e-2.
 */
export const FEATURE_TOLERANCE = 1e-2;

/** max |a − b| divided by the largest |reference| value: a scale-aware difference. */
export function maxRelativeDifference(reference: readonly number[], other: readonly number[]): number {
  if (reference.length !== other.length || reference.length === 0) return Number.POSITIVE_INFINITY;
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] ?? 0;
    maxDiff = Math.max(maxDiff, Math.abs(r - (other[i] ?? 0)));
    scale = Math.max(scale, Math.abs(r));
  }
  if (Number.isNaN(maxDiff)) return Number.POSITIVE_INFINITY;
  return scale === 0 ? (maxDiff === 0 ? 0 : Number.POSITIVE_INFINITY) : maxDiff / scale;
}

/** Compares each successful case's probe with the first successful case of the same workload and profile. */
export function crossCheck(cases: ReadonlyArray<{ spec: CaseSpec; outcome: CaseOutcome }>): CrossCheck[] {
  const references = new Map<string, { framework: string; probe: number[] }>();
  const checks: CrossCheck[] = [];
  for (const { spec, outcome } of cases) {
    const probe = outcome.result?.probe;
    if (outcome.status !== "ok" || !probe?.length) continue;
    const key = `${spec.workload}/${spec.profile}`;
    const reference = references.get(key);
    if (!reference) {
      references.set(key, { framework: spec.framework, probe });
      continue;
    }
    const difference = maxRelativeDifference(reference.probe, probe);
    checks.push({
      workload: spec.workload,
      profile: spec.profile,
      reference: reference.framework,
      framework: spec.framework,
      // JSON has no Infinity; a mismatch that large is recorded as the largest float.
      maxRelativeDifference: Number.isFinite(difference) ? difference : Number.MAX_VALUE,
      tolerance: FEATURE_TOLERANCE,
      passed: difference <= FEATURE_TOLERANCE,
    });
  }
  return checks;
}
