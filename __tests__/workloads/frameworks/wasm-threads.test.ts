import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultWorkerPath } from "../../../src/core/paths.js";
import { PROTOCOL_VERSION, type CaseOutcome, type TrainingCaseSpec } from "../../../src/core/protocol.js";
import { maxRelativeDifference } from "../../../src/run/cross-check.js";
import { runCase } from "../../../src/run/run-case.js";
import { WASM_MAX_THREADS, threadedScripts, wasmThreadsProblem } from "../../../workloads/frameworks/wasm-threads.js";
import { caseSpec, tempDir } from "../../helpers.js";

// The real worker (dist/worker.js: run `node scripts/build.mjs` first), as `rosetta-bench run` starts it.
const worker = { command: process.execPath, args: [defaultWorkerPath()] };

function features(threads: number): Promise<CaseOutcome> {
  const spec = caseSpec({
    id: `resnet50-features/tfjs/cpu/test-${threads}`,
    framework: "tfjs",
    threads,
    params: { batchSize: 2, batches: 2, imageSize: 32, warmupPasses: 1 },
  });
  return runCase(spec, { worker, timeoutMs: 120_000 });
}

async function cnnStep(threads: number): Promise<CaseOutcome> {
  const spec: TrainingCaseSpec = {
    protocol: PROTOCOL_VERSION,
    id: `cnn-cifar10/tfjs/cpu/test-${threads}`,
    framework: "tfjs",
    workload: "cnn-cifar10",
    device: "cpu",
    profile: "test",
    seed: 1,
    threads,
    params: {
      batchSize: 16,
      epochs: 1,
      stepsPerEpoch: 2,
      testBatches: 1,
      window: 1,
      warmupWindows: 0,
      data: "synthetic",
    },
    dataDir: await tempDir(),
  };
  return runCase(spec, { worker, timeoutMs: 120_000 });
}

describe("tfjs's threaded wasm backend under Node", () => {
  it("can share wasm memory on this Node (the threaded build's precondition)", () => {
    expect(wasmThreadsProblem()).toBeUndefined();
  });

  it("finds the threaded build's worker script and emscripten script in the installed package", () => {
    const scripts = threadedScripts(createRequire(import.meta.url));
    if (typeof scripts === "string") throw new Error(scripts);
    expect(existsSync(scripts.mainScript)).toBe(true);
    expect(scripts.mainScript).toMatch(/wasm-out\/tfjs-backend-wasm-threaded-simd\.js$/);
    // One line of script: newlines inside its string literals escaped, as tfjs does for its Blob.
    expect(scripts.workerSource).not.toContain("\n");
    expect(scripts.workerSource).toContain("worker_threads");
  });

  it("says why, instead of failing, when a tfjs-backend-wasm ships no threaded scripts", async () => {
    const root = await tempDir();
    const pkg = join(root, "node_modules", "@tensorflow", "tfjs-backend-wasm");
    await mkdir(pkg, { recursive: true });
    await writeFile(
      join(pkg, "package.json"),
      JSON.stringify({ name: "@tensorflow/tfjs-backend-wasm", version: "0.0.1" }),
    );
    const scripts = threadedScripts(createRequire(join(root, "package.json")));
    expect(scripts).toMatch(
      /^the threaded build's scripts could not be loaded: Cannot find module '.*tfjs-backend-wasm-threaded-simd\.js'/,
    );
  });

  it("runs a real ResNet-50 case on 2 threads, reports 2, and gives the features of one thread", async () => {
    const one = await features(1);
    const two = await features(2);
    for (const outcome of [one, two]) {
      expect(outcome.reason).toBeUndefined();
      expect(outcome.status).toBe("ok");
      expect(outcome.result?.framework.backend).toBe("wasm");
      expect(outcome.result?.framework.details.simd).toBe(true);
      expect(outcome.result?.probe).toHaveLength(2 * 2048);
    }
    expect(one.result?.framework.details.threads).toBe(1);
    expect(two.result?.framework.details.threads).toBe(2);
    expect(two.result?.framework.details.threadsNote).toBeUndefined();
    const difference = maxRelativeDifference(one.result?.probe ?? [], two.result?.probe ?? []);
    expect(difference).toBeLessThan(1e-5);
  });

  it("takes the thread count whatever the machine's cores, up to the backend's pool of 8", async () => {
    const many = Math.max(os.availableParallelism() * 2, WASM_MAX_THREADS + 2);
    const outcome = await features(many);
    expect(outcome.status).toBe("ok");
    expect(outcome.result?.framework.details.threads).toBe(WASM_MAX_THREADS);
  });

  it("trains on 2 threads with the first step of one thread", async () => {
    const one = await cnnStep(1);
    const two = await cnnStep(2);
    for (const outcome of [one, two]) {
      expect(outcome.reason).toBeUndefined();
      expect(outcome.status).toBe("ok");
      expect(outcome.result?.framework.details.gradients).toBe("registered from wasm kernels");
    }
    expect(one.result?.framework.details.threads).toBe(1);
    expect(two.result?.framework.details.threads).toBe(2);
    expect(two.result?.probe?.length).toBeGreaterThan(0);
    expect(maxRelativeDifference(one.result?.probe ?? [], two.result?.probe ?? [])).toBeLessThan(1e-4);
  });
});
