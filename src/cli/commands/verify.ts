/**
 * rosetta-bench verify: the same seeded ResNet-50 weights and input through every
 * selected framework, each in its own worker; every pair's features must agree.
 */
import { markdownTable } from "markdown-table";
import { cliBoundaries } from "../main.js";
import type { Config } from "../../configure/config.js";
import { FEATURE_TOLERANCE, maxRelativeDifference } from "../../run/cross-check.js";
import { planCases } from "../../plan/plan.js";
import { formatNumber } from "../../report/format.js";
import { describeOutcome } from "../../core/progress.js";
import type { Io } from "../io.js";

/** Two full-size images, one pass: enough to compare 4,096 feature values, quick on any backend. */
const VERIFY_PARAMS = { batchSize: 2, batches: 1, imageSize: 224, warmupPasses: 0 };

export async function verifyCommand(config: Config, io: Io): Promise<number> {
  const device = config.device === "auto" ? "cpu" : config.device;
  const specs = planCases({ ...config, workloads: ["resnet50-features"], profile: "smoke", device }).flatMap((s) =>
    s.workload === "resnet50-features" ? [{ ...s, profile: "verify", params: VERIFY_PARAMS }] : [],
  );
  const io2 = cliBoundaries(config, (m) => io.stderr.write(`${m}\n`));
  await io2.prepare?.("cpu", config.frameworks);
  const probes: Array<{ framework: string; values: number[] }> = [];
  for (const spec of specs) {
    const outcome = await io2.runCase(spec, () => undefined);
    io.stderr.write(`${spec.framework}: ${describeOutcome(outcome)}\n`);
    if (outcome.status === "ok" && outcome.result?.probe)
      probes.push({ framework: spec.framework, values: outcome.result.probe });
  }
  if (probes.length < 2) {
    io.stderr.write(`rosetta-bench: verify needs two frameworks that run here; ${probes.length} did\n`);
    return 1;
  }
  const rows: string[][] = [];
  let failed = false;
  for (let i = 0; i < probes.length; i++) {
    for (let j = i + 1; j < probes.length; j++) {
      const a = probes[i]!;
      const b = probes[j]!;
      const d = maxRelativeDifference(a.values, b.values);
      failed ||= !(d <= FEATURE_TOLERANCE);
      rows.push([a.framework, b.framework, formatNumber(d), d <= FEATURE_TOLERANCE ? "✅ same model" : "❌ differs"]);
    }
  }
  io.stdout.write(
    `ResNet-50 features of the same seeded weights and images (max |a − b| over the largest |a|, tolerance ${formatNumber(FEATURE_TOLERANCE)}):\n\n` +
      markdownTable([["Framework", "Against", "Max relative difference", "Verdict"], ...rows]) +
      "\n",
  );
  return failed ? 1 : 0;
}
