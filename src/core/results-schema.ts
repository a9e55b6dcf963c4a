/**
 * The results file: one run's cases, samples and environment. The JSON Schema in
 * schemas/results.schema.json is generated from this (by npm run build; npm run build:check fails when it is stale).
 */
import { z } from "zod";
import { deviceSchema, featureParamsSchema, finite, trainingParamsSchema } from "./protocol.js";
import { caseId, dataOf } from "./case-id.js";
import { metricsRecordSchema, samplesRecordSchema } from "./metrics.js";

export const RESULTS_SCHEMA_VERSION = 1;

export const gpuSchema = z.object({
  /** nvidia-smi's index (PCI bus order). */
  index: z.int().min(0).optional(),
  uuid: z.string().optional(),
  name: z.string(),
  driver: z.string().optional(),
  memoryMiB: z.number().optional(),
});

export const environmentSchema = z.object({
  os: z.object({ platform: z.string(), release: z.string(), arch: z.string() }),
  cpu: z.object({ model: z.string(), cores: z.int().positive() }),
  memoryBytes: z.int().positive(),
  node: z.string(),
  gpus: z.array(gpuSchema),
  /** Highest CUDA version the installed driver supports, as nvidia-smi reports it. */
  cuda: z.string().optional(),
  /** Framework id → the version that ran. */
  frameworks: z.record(z.string(), z.string()),
});
export type Environment = z.infer<typeof environmentSchema>;
export type Gpu = z.infer<typeof gpuSchema>;

export const CASE_STATUSES = ["ok", "failed", "unavailable"] as const;

/** How the GPU behaved during a case (nvidia-smi sampled): see src/run/gpu-telemetry.ts. */
export const gpuTelemetrySchema = z.object({
  samples: z.int().min(1),
  utilizationMean: z.number().optional(),
  smClockMinMHz: z.number().optional(),
  smClockMaxMHz: z.number().optional(),
  temperatureMaxC: z.number().optional(),
  powerMaxW: z.number().optional(),
  memoryUsedMaxMiB: z.number().optional(),
  /** Throttle reasons seen active in any sample. */
  throttled: z.array(z.string()),
  /** Compute processes on the GPU that were not the case's. */
  otherProcesses: z.array(z.string()),
});
export type GpuTelemetry = z.infer<typeof gpuTelemetrySchema>;

export const caseResultSchema = z
  .object({
    id: z.string(),
    workload: z.string(),
    framework: z.object({
      id: z.string(),
      version: z.string().optional(),
      backend: z.string().optional(),
      details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    }),
    device: deviceSchema,
    profile: z.string(),
    params: z.union([featureParamsSchema, trainingParamsSchema]),
    status: z.enum(CASE_STATUSES),
    /** Why a case failed or is unavailable, in the framework's own words. */
    reason: z.string().optional(),
    parameterCount: z.int().min(0).optional(),
    metrics: metricsRecordSchema,
    samples: samplesRecordSchema,
    /** Wall time of the whole child process (all runs), load and build included. */
    durationS: finite,
    /** Runs pooled into these figures: 2 after a confirmation re-run. */
    runs: z.int().positive().optional(),
    /** GPU cases where nvidia-smi could be sampled. */
    gpuTelemetry: gpuTelemetrySchema.optional(),
    /**
     * Share of the machine's CPU (0–1) that other processes took while the case ran
     * (the most of its runs after a confirmation); Linux only. See src/run/cpu-share.ts.
     */
    cpuOthersShare: z.number().min(0).max(1).optional(),
  })
  .superRefine((c, ctx) => {
    // Every command keys a case by its fields; an id that says otherwise would be keyed two ways.
    const expected = caseId({ ...c, framework: c.framework.id, data: dataOf(c.params) });
    if (c.id !== expected) {
      ctx.addIssue({
        code: "custom",
        path: ["id"],
        message: `'${c.id}' does not match the case's own fields ('${expected}')`,
      });
    }
  });
export type CaseResult = z.infer<typeof caseResultSchema>;

export const crossCheckSchema = z.object({
  workload: z.string(),
  profile: z.string(),
  reference: z.string(),
  framework: z.string(),
  /**
   * features (resnet50-features): max |a − b| over the probe features, divided by the largest |reference| value.
   * first-step (training): max over the probe's values (loss, gradient, weight and update norms) of |a − b| / max(|a|, |b|).
   */
  check: z.enum(["features", "first-step"]).optional(),
  maxRelativeDifference: finite,
  tolerance: finite,
  passed: z.boolean(),
});
export type CrossCheck = z.infer<typeof crossCheckSchema>;

export const resultsSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  tool: z.object({ name: z.literal("rosetta-bench"), version: z.string() }),
  createdAt: z.iso.datetime(),
  profile: z.string(),
  seed: z.int().min(0),
  /** The device the run targeted (auto resolved); its cases are the ones that must produce figures. */
  device: deviceSchema.optional(),
  source: z
    .object({ commit: z.string().optional(), ref: z.string().optional(), runUrl: z.string().optional() })
    .optional(),
  environment: environmentSchema,
  cases: z.array(caseResultSchema).superRefine((cases, ctx) => {
    const seen = new Map<string, number>();
    cases.forEach((c, i) => {
      const first = seen.get(c.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [i, "id"],
          message: `'${c.id}' is also case ${first}: each case may appear once`,
        });
      } else seen.set(c.id, i);
    });
  }),
  crossChecks: z.array(crossCheckSchema),
});
export type Results = z.infer<typeof resultsSchema>;
