/**
 * The baseline file (default .rosetta-bench/baseline.json): reference figures per
 * testbed and case. Generated JSON Schema: schemas/baseline.schema.json.
 */
import { z } from "zod";
import { deviceSchema, finite } from "./protocol.js";
import { testbedSchema } from "./testbed.js";

export const BASELINE_SCHEMA_VERSION = 1;

export const baselineEntrySchema = z.object({
  testbed: testbedSchema,
  case: z.object({
    workload: z.string(),
    framework: z.string(),
    device: deviceSchema,
    profile: z.string(),
    /** Training cases on synthetic data; absent for real data and for inference. */
    data: z.literal("synthetic").optional(),
  }),
  frameworkVersion: z.string().optional(),
  parameterCount: z.int().min(0).optional(),
  metrics: z.record(z.string(), finite),
  samples: z.record(z.string(), z.array(finite)),
  source: z.object({ createdAt: z.iso.datetime(), commit: z.string().optional() }),
});
export type BaselineEntry = z.infer<typeof baselineEntrySchema>;

export const baselineSchema = z.object({
  schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
  entries: z.array(baselineEntrySchema),
});
export type Baseline = z.infer<typeof baselineSchema>;
