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

export const TRAINING_WORKLOADS = ["cnn-cifar10", "rnn-imdb"] as const;
export type TrainingWorkload = (typeof TRAINING_WORKLOADS)[number];
export const DATA_MODES = ["real", "synthetic"] as const;

export const trainingParamsSchema = z.object({
  batchSize: z.int().positive(),
  epochs: z.int().positive(),
  /** Steps per epoch; absent: every complete batch of the training set (the reference). */
  stepsPerEpoch: z.int().positive().optional(),
  /** Test batches evaluated after training; absent: every complete test batch. */
  testBatches: z.int().min(0).optional(),
  /** Steps averaged into one step-time sample. */
  window: z.int().positive(),
  /** Leading windows kept out of the samples (graph building, autotuning); still in the training time. */
  warmupWindows: z.int().min(0),
  /** real: the reference dataset from dataDir; synthetic: seeded data of the same shapes, for timing only. */
  data: z.enum(DATA_MODES),
});
export type TrainingParams = z.infer<typeof trainingParamsSchema>;

const caseBase = {
  protocol: z.literal(PROTOCOL_VERSION),
  id: z.string(),
  framework: z.string(),
  device: deviceSchema,
  profile: z.string(),
  seed: z.int().min(0),
  /** Intra-op threads for frameworks that take a count; the machine's cores by default. */
  threads: z.int().positive(),
};

export const featureCaseSchema = z.object({
  ...caseBase,
  workload: z.literal("resnet50-features"),
  params: featureParamsSchema,
});

export const trainingCaseSchema = z.object({
  ...caseBase,
  workload: z.enum(TRAINING_WORKLOADS),
  params: trainingParamsSchema,
  /** Folder holding the verified dataset files (real data). */
  dataDir: z.string(),
});

export const caseSpecSchema = z.discriminatedUnion("workload", [featureCaseSchema, trainingCaseSchema]);
export type FeatureCaseSpec = z.infer<typeof featureCaseSchema>;
export type TrainingCaseSpec = z.infer<typeof trainingCaseSchema>;
export type CaseSpec = z.infer<typeof caseSpecSchema>;

/** A number that is not NaN or ±Infinity (JSON cannot carry them; a figure must not be one). */
export const finite = z.number().refine(Number.isFinite, "must be a finite number");

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
  phase: z.enum(["load", "data", "build", "warmup", "measure", "train", "evaluate"]),
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

/** What the parent makes of one case's child process: its result, or why there is none. */
export interface CaseOutcome {
  status: "ok" | "failed" | "unavailable";
  result?: ResultMessage;
  samples: Record<string, number[]>;
  reason?: string;
  framework?: Partial<ResultMessage["framework"]>;
  stderrTail: string;
  durationS: number;
}
