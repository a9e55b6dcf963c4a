/**
 * The PyTorch worker through the real parent side (workerCommandFor + runCase):
 * its protocol, its refusals, "unavailable" without an interpreter or without
 * torch, ResNet-50 features equal to onnxruntime-node's, and the CNN and the GRU
 * training on the smoke profile with the loss falling and the first-step probe
 * equal to tfjs's.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TRAINING_PROFILES } from "../../../src/core/catalog.js";
import {
  PROTOCOL_VERSION,
  type CaseOutcome,
  type CaseSpec,
  type TrainingCaseSpec,
} from "../../../src/core/protocol.js";
import { pythonWorkerRoot, workerCommandFor } from "../../../src/run/boundaries.js";
import { compareProbes } from "../../../src/run/cross-check.js";
import { runCase } from "../../../src/run/run-case.js";
import { ROOT } from "../../process.js";
import { TORCH_PYTHON } from "../../python.js";

const NODE_WORKER = join(ROOT, "dist", "worker.js");

async function run(
  spec: unknown,
  python = TORCH_PYTHON!,
  parentPythonPath?: string,
  framework = (spec as { framework: string }).framework,
): Promise<CaseOutcome> {
  const { env, ...worker } = workerCommandFor(framework, {
    python,
    workerPath: NODE_WORKER,
    parentEnv: parentPythonPath ? { PYTHONPATH: parentPythonPath } : {},
  });
  return runCase(spec as CaseSpec, { worker, env: { ...process.env, ...env }, timeoutMs: 600_000 });
}

const base = { protocol: PROTOCOL_VERSION, device: "cpu", profile: "test", seed: 3, threads: 2 } as const;
const features = (framework: string) => ({
  ...base,
  id: `resnet50-features/${framework}/cpu/test`,
  framework,
  workload: "resnet50-features" as const,
  params: { batchSize: 2, batches: 2, imageSize: 64, warmupPasses: 1 },
});
const training = (framework: string, workload: "cnn-cifar10" | "rnn-imdb", steps = 8): TrainingCaseSpec => ({
  ...base,
  id: `${workload}/${framework}/cpu/test/synthetic`,
  framework,
  workload,
  dataDir: tmpdir(),
  params: { ...TRAINING_PROFILES[workload].smoke, stepsPerEpoch: steps, testBatches: 1 },
});

describe("the pytorch worker when PyTorch cannot run", () => {
  it("is unavailable, saying what to do, when the interpreter does not exist", async () => {
    const outcome = await run(features("pytorch"), "/nonexistent/bin/python3");
    expect(outcome.status).toBe("unavailable");
    expect(outcome.reason).toMatch(/^could not start '\/nonexistent\/bin\/python3': spawn .* ENOENT; install Python 3/);
    expect(outcome.reason).toContain("--python");
  });
});

describe.runIf(TORCH_PYTHON)("the pytorch worker", () => {
  it("is unavailable, with Python's own reason, when the interpreter cannot import torch", async () => {
    // A torch package that fails to import, ahead of the real one on the path.
    const shim = await mkdtemp(join(tmpdir(), "rb-notorch-"));
    await mkdir(join(shim, "torch"));
    await writeFile(
      join(shim, "torch", "__init__.py"),
      "raise ImportError('libtorch_cpu.so: cannot open shared object file')\n",
    );
    const outcome = await run(features("pytorch"), TORCH_PYTHON, shim);
    expect(outcome.status).toBe("unavailable");
    expect(outcome.reason).toMatch(
      /^PyTorch cannot be imported by \S+ \(Python 3\.\d+\.\d+\): libtorch_cpu\.so: cannot open/,
    );
  });

  it("refuses a figure whose tensors are not on the case's device (the device proof of every case)", () => {
    // A runtime that asks for CUDA, handed CPU tensors: exactly a silent fallback. No GPU is needed to see it refuse.
    const script = [
      "import torch",
      "from rosetta_torch.runtime import Runtime",
      "from rosetta_torch.protocol import FrameworkUnavailable",
      "Runtime(torch.device('cpu'), {}).prove([torch.zeros(2)], 'weights')",
      "try:",
      "    Runtime(torch.device('cuda', 0), {}).prove([torch.zeros(2), torch.ones(1)], \"ResNet-50's forward pass\")",
      "except FrameworkUnavailable as err:",
      "    print(err)",
    ].join("\n");
    const out = execFileSync(TORCH_PYTHON!, ["-c", script], {
      encoding: "utf8",
      env: { ...process.env, PYTHONPATH: pythonWorkerRoot() },
    });
    expect(out.trim()).toBe(
      "ResNet-50's forward pass ran on cpu, not on the cuda the case asked for; no figure reported",
    );
  });

  it("refuses an invalid case spec naming the field and the value, and a framework it does not run", async () => {
    const bad = await run({ ...features("pytorch"), params: { ...features("pytorch").params, batchSize: 2.5 } });
    expect(bad.status).toBe("failed");
    expect(bad.reason).toBe("invalid case spec on stdin: params.batchSize: expected an integer, got 2.5");
    const flag = await run({ ...features("pytorch"), seed: true });
    expect(flag.reason).toBe("invalid case spec on stdin: seed: expected an integer, got True");
    const device = await run({ ...features("pytorch"), device: "tpu" });
    expect(device.reason).toBe("invalid case spec on stdin: device: 'tpu' is not accepted; accepted: cpu, gpu");
    const other = await run({ ...features("pytorch"), framework: "jax" }, TORCH_PYTHON, undefined, "pytorch");
    expect(other.status).toBe("unavailable");
    expect(other.reason).toBe("this worker has no framework 'jax'; it runs 'pytorch'");
  });

  it("computes the same ResNet-50 features as onnxruntime-node, and records torch's version and threads", async () => {
    const torch = await run(features("pytorch"));
    const ort = await run(features("onnxruntime-node"));
    expect(torch.status).toBe("ok");
    expect(ort.status).toBe("ok");
    expect(torch.result?.parameterCount).toBe(23_508_032);
    expect(torch.samples.batch_s).toHaveLength(2);
    expect(torch.result?.framework).toMatchObject({ backend: "cpu", details: { layout: "NCHW", threads: 2 } });
    expect(torch.result?.framework.details.torch).toBe(torch.result?.framework.version);
    const { difference, tolerance } = compareProbes("resnet50-features", ort.result!.probe!, torch.result!.probe!);
    expect(torch.result?.probe).toHaveLength(2 * 2048);
    expect(difference).toBeLessThan(tolerance);
    expect(difference).toBeLessThan(1e-5); // float32 rounding, nothing more
  });

  it.each(["cnn-cifar10", "rnn-imdb"] as const)(
    "trains %s on the smoke data with the loss falling, and takes the same first step as tfjs",
    async (workload) => {
      const torch = await run(training("pytorch", workload));
      expect(torch.status).toBe("ok");
      const details = torch.result!.framework.details;
      expect(details.data).toBe("synthetic");
      expect(Number(details.lastLoss)).toBeLessThan(Number(details.firstLoss));
      expect(torch.result?.parameterCount).toBe(workload === "cnn-cifar10" ? 3_441_592 : 3_818_302);
      expect(torch.samples.step_s).toHaveLength(6);
      expect(torch.result?.metrics.test_accuracy).toBeGreaterThanOrEqual(0);
      // tfjs (wasm) from the same seeded weights on the same data (the same profile: synthetic data is
      // sized by it): one step is enough for the probe.
      const [one, tfjs] = [await run(training("pytorch", workload, 1)), await run(training("tfjs", workload, 1))];
      expect(tfjs.status).toBe("ok");
      const probe = one.result!.probe!;
      expect(probe).toHaveLength(workload === "cnn-cifar10" ? 1 + 3 * 12 : 1 + 3 * 7);
      const { difference, tolerance } = compareProbes(workload, tfjs.result!.probe!, probe);
      expect(difference).toBeLessThan(tolerance);
    },
  );
});
