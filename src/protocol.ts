/**
 * The worker protocol: the seam every framework implementation plugs into.
 *
 * The parent writes one JSON case spec to the worker's stdin and closes it. The
 * worker writes JSON lines to stdout: any number of `progress` and `sample`
 * messages, then exactly one `result` or one `error`. Lines that are not protocol
 * messages are kept as diagnostics, never trusted. The parent owns the timeout
 * and turns a crash into a failed case. Any program that speaks this is a
 * framework: a Python worker needs nothing from this repository but this file's
 * shapes (published as schemas/protocol.schema.json).
 */
import { z } from "zod";
import { SAMPLE_NAMES } from "./metrics.js";

export const PROTOCOL_VERSION = 1;

export const DEVICES = ["cpu", "gpu"] as const;
export const deviceSchema = z.enum(DEVICES);
export type Device = z.infer<typeof deviceSchema>;

export const featureParamsSchema = z.object({
  batchSize: z.int().positive(),
  batches: z.int().positive(),
  imageSize: z.int().min(32),
  warmupPasses: z.int().min(0),
});
export type FeatureParams = z.infer<typeof featureParamsSchema>;

export const caseSpecSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  id: z.string(),
  framework: z.string(),
  workload: z.literal("resnet50-features"),
  device: deviceSchema,
  profile: z.string(),
  seed: z.int().min(0),
  /** Intra-op threads for frameworks that take a count; the machine's cores by default. */
  threads: z.int().positive(),
  params: featureParamsSchema,
});
export type CaseSpec = z.infer<typeof caseSpecSchema>;

const finite = z.number().refine(Number.isFinite, "must be a finite number");

export const frameworkInfoSchema = z.object({
  version: z.string(),
  /** The backend or execution provider that actually ran (wasm, tensorflow, CUDAExecutionProvider...). */
  backend: z.string(),
  /** Settings that shape the numbers: threads, layout, SIMD, graph optimisation level. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
export type FrameworkInfo = z.infer<typeof frameworkInfoSchema>;

export const progressMessageSchema = z.object({
  type: z.literal("progress"),
  phase: z.enum(["load", "build", "warmup", "measure"]),
  done: z.int().min(0),
  total: z.int().min(0),
  message: z.string().optional(),
});

export const sampleMessageSchema = z.object({
  type: z.literal("sample"),
  name: z.enum(SAMPLE_NAMES),
  value: finite,
});

export const resultMessageSchema = z.object({
  type: z.literal("result"),
  framework: frameworkInfoSchema,
  parameterCount: z.int().min(0),
  metrics: z.record(z.string(), finite),
  /** Output values on a fixed input, for comparing frameworks with each other. */
  probe: z.array(finite).optional(),
});

export const errorMessageSchema = z.object({
  type: z.literal("error"),
  /** `unavailable`: the framework cannot load here; `failed`: it loaded and then broke. */
  kind: z.enum(["unavailable", "failed"]),
  message: z.string(),
  framework: frameworkInfoSchema.partial().optional(),
});

export const workerMessageSchema = z.discriminatedUnion("type", [
  progressMessageSchema,
  sampleMessageSchema,
  resultMessageSchema,
  errorMessageSchema,
]);
export type WorkerMessage = z.infer<typeof workerMessageSchema>;
export type ProgressMessage = z.infer<typeof progressMessageSchema>;
export type ResultMessage = z.infer<typeof resultMessageSchema>;
