import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type TrainingCaseSpec, type WorkerMessage } from "../../../src/core/protocol.js";
import { runTraining, shuffledOrder } from "../../../workloads/training/run.js";
import type { Split, Trainer } from "../../../workloads/training/types.js";

function spec(params: Partial<TrainingCaseSpec["params"]>): TrainingCaseSpec {
  return {
    protocol: PROTOCOL_VERSION,
    id: "cnn-cifar10/tfjs/cpu/test/synthetic",
    framework: "tfjs",
    workload: "cnn-cifar10",
    device: "cpu",
    profile: "test",
    seed: 3,
    threads: 1,
    dataDir: "/nonexistent",
    params: { batchSize: 4, epochs: 2, window: 2, warmupWindows: 1, data: "synthetic", ...params },
  };
}

/** A split whose sample i holds the value i, so the batches a trainer sees can be checked. */
function split(count: number): Split {
  return {
    inputs: Float32Array.from({ length: count * 2 }, (_, i) => Math.floor(i / 2)),
    labels: Int32Array.from({ length: count }, (_, i) => i % 2),
    count,
    perSample: 2,
  };
}

/** A trainer that records what it is fed and "learns" nothing; evaluate calls label 0 right. */
function recorder(): Trainer & { seen: number[][] } {
  const seen: number[][] = [];
  let step = 0;
  return {
    seen,
    parameterCount: 7,
    trainStep: (x, _y, n) => {
      seen.push(Array.from({ length: n }, (_, b) => x[b * 2] ?? -1));
      return Promise.resolve(1 / ++step);
    },
    evaluate: (_x, y) => Promise.resolve(y.filter((v) => v === 0).length),
    dispose: () => undefined,
  };
}

describe("runTraining", () => {
  it("runs complete batches only, reshuffles every epoch, and takes samples after the warm-up windows", async () => {
    const messages: WorkerMessage[] = [];
    const trainer = recorder();
    // 18 samples: 4 complete batches of 4 (2 samples never used), 2 epochs, windows of 2 steps.
    const run = await runTraining(spec({}), trainer, split(18), split(8), (m) => messages.push(m));
    expect(trainer.seen).toHaveLength(8);
    const epoch1 = trainer.seen.slice(0, 4).flat();
    const epoch2 = trainer.seen.slice(4).flat();
    expect(new Set(epoch1).size).toBe(16);
    expect(epoch1).not.toEqual(epoch2);
    // 4 windows in all, the first a warm-up: 3 samples.
    expect(messages.filter((m) => m.type === "sample")).toHaveLength(3);
    expect(run.metrics.step_s_median).toBeGreaterThanOrEqual(0);
    expect(run.metrics.samples_per_s).toBeGreaterThan(0);
    // Two complete test batches; label 0 is half of them.
    expect(run.metrics.test_accuracy).toBe(50);
    expect(run.firstLoss).toBe(1);
    expect(run.lastLoss).toBe(1 / 8);
  });

  it("caps the steps per epoch and the test batches at the profile's", async () => {
    const trainer = recorder();
    const run = await runTraining(
      spec({ stepsPerEpoch: 1, epochs: 1, testBatches: 1, window: 1, warmupWindows: 0 }),
      trainer,
      split(40),
      split(40),
      () => undefined,
    );
    expect(trainer.seen).toHaveLength(1);
    expect(run.metrics.test_accuracy).toBe(50);
  });

  it("stops with the step where the loss stopped being finite", async () => {
    const broken: Trainer = { ...recorder(), trainStep: () => Promise.resolve(NaN) };
    await expect(runTraining(spec({}), broken, split(16), split(4), () => undefined)).rejects.toThrow(
      "the loss became NaN at epoch 1, step 1",
    );
  });

  it("refuses a training set without one complete batch", async () => {
    await expect(runTraining(spec({}), recorder(), split(3), split(4), () => undefined)).rejects.toThrow(
      "the training set has 3 samples: not one complete batch of 4",
    );
  });
});

describe("shuffledOrder", () => {
  it("is a seeded permutation", () => {
    const a = shuffledOrder(100, 1);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(shuffledOrder(100, 1)).toEqual(a);
    expect(shuffledOrder(100, 2)).not.toEqual(a);
  });
});
