/** What the training loop needs from a model, whichever workload and framework. */
export interface Trainer {
  readonly parameterCount: number;
  /** One optimiser step on a batch; resolves to the loss read back to the host (which syncs the device). */
  trainStep(inputs: Float32Array | Int32Array, labels: Int32Array, n: number): Promise<number>;
  /** Correct predictions on a batch, in inference mode (dropout off). */
  evaluate(inputs: Float32Array | Int32Array, labels: Int32Array, n: number): Promise<number>;
  dispose(): void;
}

/** A trainer that can also take the first-step check (the training case's models). */
export interface ProbedTrainer extends Trainer {
  /**
   * The first-step check on a fresh model (see probe.ts): one optimiser step with
   * dropout off; resolves to [loss, gradient norms, weight norms, update norms].
   */
  probeStep(inputs: Float32Array | Int32Array, labels: Int32Array, n: number): Promise<number[]>;
}

/** One split of a dataset as flat typed arrays: `perSample` values per sample. */
export interface Split {
  inputs: Float32Array | Int32Array;
  labels: Int32Array;
  count: number;
  perSample: number;
}
