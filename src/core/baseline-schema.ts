/**
 * The baseline file (default .rosetta-bench/baseline.json): reference figures per
 * testbed and case. Generated JSON Schema: schemas/baseline.schema.json.
 */
import { z } from "zod";
import { deviceSchema } from "./protocol.js";
import { testbedKey, testbedSchema } from "./testbed.js";
import { caseId } from "./case-id.js";
import { metricsRecordSchema, samplesRecordSchema } from "./metrics.js";

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
  metrics: metricsRecordSchema,
  samples: samplesRecordSchema,
  source: z.object({ createdAt: z.iso.datetime(), commit: z.string().optional() }),
});
export type BaselineEntry = z.infer<typeof baselineEntrySchema>;

export const baselineSchema = z.object({
  schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
  entries: z.array(baselineEntrySchema).superRefine((entries, ctx) => {
    // Two entries for one testbed and case would be read one way by compare and updated another.
    const seen = new Map<string, number>();
    entries.forEach((e, i) => {
      const key = `${testbedKey(e.testbed)} · ${caseId(e.case)}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `entries ${first} and ${i} are both ${key}: keep one`,
        });
      } else seen.set(key, i);
    });
  }),
});
export type Baseline = z.infer<typeof baselineSchema>;
