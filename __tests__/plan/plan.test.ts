import { describe, expect, it } from "vitest";
import { planCases, type PlanInput } from "../../src/plan/plan.js";
import { datasetsForRun } from "../../src/data/datasets.js";
import { TRAINING_PROFILES } from "../../src/core/catalog.js";
import type { TrainingCaseSpec } from "../../src/core/protocol.js";

const input: PlanInput = {
  frameworks: ["tfjs", "onnxruntime-node", "pytorch"],
  workloads: ["cnn-cifar10", "rnn-imdb", "resnet50-features"],
  profile: "quick",
  device: "cpu",
  seed: 1,
  threads: 2,
  dataDir: "/tmp/data",
};

describe("planCases", () => {
  it("runs each workload on the frameworks that implement it, with the profile's params", () => {
    const cases = planCases(input);
    expect(cases.map((c) => c.id)).toEqual([
      "cnn-cifar10/tfjs/cpu/quick",
      "cnn-cifar10/pytorch/cpu/quick",
      "rnn-imdb/tfjs/cpu/quick",
      "rnn-imdb/pytorch/cpu/quick",
      "resnet50-features/tfjs/cpu/quick",
      "resnet50-features/onnxruntime-node/cpu/quick",
      "resnet50-features/pytorch/cpu/quick",
    ]);
    expect((cases[0] as TrainingCaseSpec).params).toEqual(TRAINING_PROFILES["cnn-cifar10"].quick);
    expect(datasetsForRun(input.workloads, "quick")).toEqual(["cifar10", "imdb"]);
  });

  it("with syntheticData, trains on synthetic data at the profile's steps, under ids of their own, and fetches nothing", () => {
    const cases = planCases({ ...input, syntheticData: true }).filter(
      (c): c is TrainingCaseSpec => c.workload !== "resnet50-features",
    );
    expect(cases.map((c) => c.id)).toEqual([
      "cnn-cifar10/tfjs/cpu/quick/synthetic",
      "cnn-cifar10/pytorch/cpu/quick/synthetic",
      "rnn-imdb/tfjs/cpu/quick/synthetic",
      "rnn-imdb/pytorch/cpu/quick/synthetic",
    ]);
    for (const c of cases) expect(c.params).toEqual({ ...TRAINING_PROFILES[c.workload].quick, data: "synthetic" });
    expect(datasetsForRun(input.workloads, "quick", true)).toEqual([]);
  });
});
