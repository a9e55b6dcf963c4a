/**
 * Cross-framework agreement: every framework builds the same seeded model and
 * sees the same seeded input, so their outputs must agree up to float32
 * rounding. A disagreement means the frameworks did not run the same model.
 *
 * Two checks: the ResNet-50 features of one seeded batch, and for the trained
 * models the first-step probe (workloads/training/probe.ts: one optimiser step
 * from the seeded weights on the first training batch, dropout off; its loss and
 * the gradient, weight and update norms of every tensor).
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

/**
 * Tolerance on the first-step probe, value by value (relative to the larger of
 * the two). Measured here between tfjs (wasm) and PyTorch (CPU): CNN 6.3e-7,
 * GRU 6.5e-6 (float32 sums over 150 steps); a wrong gate order, bias or
 * optimiser setting moves the values by 1e-2 or more.
 */
export const TRAINING_TOLERANCE = 1e-3;

/** The check each workload's probe carries. */
export function checkOf(workload: string): "features" | "first-step" {
  return workload === "resnet50-features" ? "features" : "first-step";
}

/** max over i of |a − b| / max(|a|, |b|), 0 where both are 0: every value weighs alike. */
export function maxElementwiseRelativeDifference(reference: readonly number[], other: readonly number[]): number {
  if (reference.length !== other.length || reference.length === 0) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < reference.length; i++) {
    const a = reference[i] ?? 0;
    const b = other[i] ?? 0;
    const scale = Math.max(Math.abs(a), Math.abs(b));
    const d = scale === 0 ? 0 : Math.abs(a - b) / scale;
    if (Number.isNaN(d)) return Number.POSITIVE_INFINITY;
    worst = Math.max(worst, d);
  }
  return worst;
}

/** The difference and tolerance of a workload's check. */
export function compareProbes(
  workload: string,
  reference: readonly number[],
  other: readonly number[],
): { check: "features" | "first-step"; difference: number; tolerance: number } {
  const check = checkOf(workload);
  return check === "features"
    ? { check, difference: maxRelativeDifference(reference, other), tolerance: FEATURE_TOLERANCE }
    : { check, difference: maxElementwiseRelativeDifference(reference, other), tolerance: TRAINING_TOLERANCE };
}

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

/**
 * Compares each successful case's probe with the first successful case of the
 * same workload, profile and data (real or synthetic: the first batch differs).
 */
export function crossCheck(cases: ReadonlyArray<{ spec: CaseSpec; outcome: CaseOutcome }>): CrossCheck[] {
  const references = new Map<string, { framework: string; probe: number[] }>();
  const checks: CrossCheck[] = [];
  for (const { spec, outcome } of cases) {
    const probe = outcome.result?.probe;
    if (outcome.status !== "ok" || !probe?.length) continue;
    const key = `${spec.workload}/${spec.profile}${spec.workload === "resnet50-features" ? "" : `/${spec.params.data}`}`;
    const reference = references.get(key);
    if (!reference) {
      references.set(key, { framework: spec.framework, probe });
      continue;
    }
    const { check, difference, tolerance } = compareProbes(spec.workload, reference.probe, probe);
    checks.push({
      workload: spec.workload,
      profile: spec.profile,
      reference: reference.framework,
      framework: spec.framework,
      check,
      // JSON has no Infinity; a mismatch that large is recorded as the largest float.
      maxRelativeDifference: Number.isFinite(difference) ? difference : Number.MAX_VALUE,
      tolerance,
      passed: difference <= tolerance,
    });
  }
  return checks;
}
