/**
 * rosetta-bench verify: every selected framework builds the same seeded models,
 * each in its own worker, and every pair must agree, workload by workload:
 * ResNet-50's features of one seeded batch, and for the CNN and the GRU the
 * first-step check (one optimiser step from the seeded weights on the same
 * batch, dropout off: the loss and per-tensor gradient, weight and update norms).
 */
import { markdownTable } from "markdown-table";
import { cliBoundaries } from "../main.js";
import type { Config } from "../../configure/config.js";
import { compareProbes } from "../../run/cross-check.js";
import { planCases } from "../../plan/plan.js";
import { formatNumber } from "../../report/format.js";
import { describeOutcome } from "../../core/progress.js";
import { WORKLOAD_IDS } from "../../core/catalog.js";
import type { CaseSpec, FeatureParams, TrainingParams } from "../../core/protocol.js";
import type { Io } from "../io.js";

/** Two full-size images, one pass: enough to compare 4,096 feature values, quick on any backend. */
const VERIFY_FEATURES: FeatureParams = { batchSize: 2, batches: 1, imageSize: 224, warmupPasses: 0 };
/** The reference's batch of 64 on seeded data: the probe's step, then one training step (the fewest a case takes). */
const VERIFY_TRAINING: TrainingParams = {
  batchSize: 64,
  epochs: 1,
  stepsPerEpoch: 1,
  testBatches: 0,
  window: 1,
  warmupWindows: 0,
  data: "synthetic",
};

function verifySpec(spec: CaseSpec): CaseSpec {
  return spec.workload === "resnet50-features"
    ? { ...spec, profile: "verify", params: VERIFY_FEATURES }
    : { ...spec, profile: "verify", params: VERIFY_TRAINING };
}

const WHAT = {
  "resnet50-features": "features",
  "cnn-cifar10": "first step",
  "rnn-imdb": "first step",
} as const;

export async function verifyCommand(config: Config, io: Io): Promise<number> {
  const device = config.device === "auto" ? "cpu" : config.device;
  const planned = planCases({ ...config, workloads: WORKLOAD_IDS, profile: "smoke", device }).map(verifySpec);
  // A workload fewer than two selected frameworks implement cannot be compared: it is not run.
  const count = (w: string) => planned.filter((s) => s.workload === w).length;
  const specs = planned.filter((s) => count(s.workload) >= 2);
  const io2 = cliBoundaries(config, (m) => io.stderr.write(`${m}\n`));
  await io2.prepare?.("cpu", config.frameworks);
  const probes = new Map<string, Array<{ framework: string; values: number[] }>>();
  for (const spec of specs) {
    const outcome = await io2.runCase(spec, () => undefined);
    io.stderr.write(`${spec.workload} on ${spec.framework}: ${describeOutcome(outcome)}\n`);
    const probe = outcome.status === "ok" ? outcome.result?.probe : undefined;
    if (probe?.length) {
      const list = probes.get(spec.workload) ?? [];
      list.push({ framework: spec.framework, values: probe });
      probes.set(spec.workload, list);
    }
  }
  const rows: string[][] = [];
  const notes: string[] = [];
  let failed = false;
  for (const workload of WORKLOAD_IDS) {
    const list = probes.get(workload) ?? [];
    if (list.length < 2) {
      const ran = list.map((p) => p.framework).join(", ") || "none";
      notes.push(
        count(workload) < 2
          ? `${workload}: not compared: fewer than two of the selected frameworks implement it (add pytorch: --frameworks ${[...config.frameworks, "pytorch"].filter((f, i, all) => all.indexOf(f) === i).join(",")})`
          : `${workload}: not compared: ${list.length} framework(s) ran it here (${ran}); it needs two`,
      );
      continue;
    }
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        const { difference, tolerance } = compareProbes(workload, a.values, b.values);
        const ok = difference <= tolerance;
        failed ||= !ok;
        rows.push([
          workload,
          WHAT[workload],
          a.framework,
          b.framework,
          formatNumber(difference),
          formatNumber(tolerance),
          ok ? "✅ same model" : "❌ differs",
        ]);
      }
    }
  }
  if (!rows.length) {
    io.stderr.write(`rosetta-bench: verify needs two frameworks that run a workload here; ${notes.join("; ")}\n`);
    return 1;
  }
  io.stdout.write(
    "The same seeded models in every framework. features: ResNet-50 features of one seeded batch, max |a − b| over the " +
      "largest |a|. first step: one optimiser step from the seeded weights on the same batch, dropout off; the loss and " +
      "every tensor's gradient, weight and update norms, max |a − b| / max(|a|, |b|).\n\n" +
      markdownTable([
        ["Workload", "Check", "Framework", "Against", "Max relative difference", "Tolerance", "Verdict"],
        ...rows,
      ]) +
      "\n" +
      (notes.length ? `\n${notes.map((n) => `- ${n}`).join("\n")}\n` : ""),
  );
  return failed ? 1 : 0;
}
