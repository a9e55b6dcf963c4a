import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCase } from "../../src/run/run-case.js";
import { localRunBoundaries, workerCommandFor } from "../../src/run/boundaries.js";
import { toCaseResult } from "../../src/run/cases.js";
import { defaultWorkerPath } from "../../src/core/paths.js";
import { caseSpec, tempDir } from "../helpers.js";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

const scripted = {
  command: process.execPath,
  args: [fileURLToPath(new URL("../fixtures/workers/scripted.mjs", import.meta.url))],
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("runCase with a scripted worker", () => {
  it("collects samples and the result, and keeps non-protocol stdout as a diagnostic", async () => {
    const seen: string[] = [];
    const outcome = await runCase(caseSpec({ framework: "ok" }), {
      worker: scripted,
      timeoutMs: 30_000,
      onMessage: (m) => seen.push(m.type),
    });
    expect(outcome.status).toBe("ok");
    expect(outcome.samples).toEqual({ batch_s: [0.1, 0.12] });
    expect(outcome.result?.metrics.images_per_s).toBe(10);
    expect(seen).toEqual(["progress", "sample", "sample", "result"]);
    expect(outcome.stderrTail).toContain("[stdout] a banner on stdout");
  });

  it("turns a crash into a failed case with the exit code and the end of stderr", async () => {
    const outcome = await runCase(caseSpec({ framework: "crash" }), { worker: scripted, timeoutMs: 30_000 });
    expect(outcome.status).toBe("failed");
    expect(outcome.reason).toBe(
      "worker exited with code 139 before reporting a result; stderr: Segmentation fault in the kernel",
    );
  });

  it("reports an unavailable framework with its own reason", async () => {
    const outcome = await runCase(caseSpec({ framework: "unavailable" }), { worker: scripted, timeoutMs: 30_000 });
    expect(outcome).toMatchObject({
      status: "unavailable",
      reason: "libcudart.so.11.0: cannot open shared object file",
    });
  });

  it("kills the whole process group on a timeout, grandchildren included", async () => {
    let grandchild = 0;
    const outcome = await runCase(caseSpec({ framework: "hang" }), {
      worker: scripted,
      timeoutMs: 1_500,
      onMessage: (m) => {
        if (m.type === "progress" && m.message) grandchild = Number(m.message.split(" ")[1]);
      },
    });
    expect(outcome.status).toBe("failed");
    expect(outcome.reason).toBe("timed out after 1.5 s (last progress: measure 1/40)");
    expect(grandchild).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(grandchild)).toBe(false);
  });

  it("fails a worker that exits without a result", async () => {
    const outcome = await runCase(caseSpec({ framework: "exit-silently" }), { worker: scripted, timeoutMs: 30_000 });
    expect(outcome).toMatchObject({ status: "failed", reason: "worker exited with code 0 before reporting a result" });
  });

  it("fails cleanly when the worker program does not exist", async () => {
    const outcome = await runCase(caseSpec(), {
      worker: { command: "/nonexistent/worker", args: [] },
      timeoutMs: 30_000,
    });
    expect(outcome.status).toBe("failed");
    expect(outcome.reason).toMatch(
      /^could not start the worker '\/nonexistent\/worker': spawn \/nonexistent\/worker ENOENT/,
    );
  });
});

describe("runCase with the real worker (dist/worker.js)", () => {
  const worker = { command: process.execPath, args: [defaultWorkerPath()] };

  it("runs ResNet-50 features on onnxruntime-node and reports timed samples", async () => {
    const spec = caseSpec({ params: { batchSize: 2, batches: 3, imageSize: 32, warmupPasses: 1 } });
    const outcome = await runCase(spec, { worker, timeoutMs: 120_000 });
    expect(outcome.reason).toBeUndefined();
    expect(outcome.status).toBe("ok");
    expect(outcome.samples.batch_s).toHaveLength(3);
    expect(outcome.result?.parameterCount).toBe(23_508_032);
    expect(outcome.result?.framework).toMatchObject({ version: "1.30.0", backend: "CPUExecutionProvider" });
    expect(outcome.result?.probe).toHaveLength(2 * 2048);
    const m = outcome.result?.metrics ?? {};
    expect(m.images_per_s).toBeCloseTo(1000 / (m.s_per_1000_images ?? NaN), 6);
  });

  it("reports a framework that is not installed as unavailable", async () => {
    const outcome = await runCase(caseSpec({ framework: "tfjs-node", device: "cpu" }), {
      worker,
      timeoutMs: 60_000,
    });
    expect(outcome.status).toBe("unavailable");
    expect(outcome.reason).toMatch(/^@tensorflow\/tfjs-node could not be loaded: Cannot find (package|module)/);
  });

  it("rejects an invalid case spec with a failed outcome", async () => {
    const outcome = await runCase({ ...caseSpec(), seed: -1 }, { worker, timeoutMs: 60_000 });
    expect(outcome.status).toBe("failed");
    expect(outcome.reason).toMatch(/^invalid case spec on stdin/);
  });
});

describe("localRunBoundaries", () => {
  it("adds the run's GPU selection to the worker's environment, and nothing when there is none", async () => {
    const io = localRunBoundaries({ caseTimeoutS: 30, workerPath: scripted.args[0] });
    const seen = async (env?: Record<string, string>) =>
      (await io.runCase(caseSpec({ framework: "env" }), () => undefined, env)).result?.framework.details;
    expect(await seen({ CUDA_VISIBLE_DEVICES: "GPU-a83f4d21" })).toEqual({ CUDA_VISIBLE_DEVICES: "GPU-a83f4d21" });
    expect(await seen()).toEqual({ CUDA_VISIBLE_DEVICES: process.env.CUDA_VISIBLE_DEVICES ?? "unset" });
  });
});

describe("workerCommandFor", () => {
  const externalWorkers = [{ name: "mine", command: "python3 my_worker.py --fast" }];
  it("runs an external framework's program through the shell, as written, adding nothing to the environment", () => {
    expect(workerCommandFor("mine", { externalWorkers, frameworksRoot: "/cache/k" })).toEqual({
      command: "/bin/sh",
      args: ["-c", "python3 my_worker.py --fast"],
      env: {},
    });
  });

  it("runs the bundled Node worker, pointed at the pins' install when there is one", () => {
    expect(workerCommandFor("onnxruntime-node", { externalWorkers, workerPath: "/w.js" })).toEqual({
      command: process.execPath,
      args: ["/w.js"],
      env: {},
    });
    expect(workerCommandFor("tfjs", { frameworksRoot: "/cache/k" })).toEqual({
      command: process.execPath,
      args: [defaultWorkerPath()],
      env: { ROSETTA_BENCH_FRAMEWORKS_ROOT: "/cache/k" },
    });
    // A native tfjs flavour installed on its own is loaded from its install; the others from the tool's.
    const frameworkRoots = { "tfjs-node": "/cache/native" };
    expect(workerCommandFor("tfjs-node", { frameworkRoots }).env).toEqual({
      ROSETTA_BENCH_FRAMEWORKS_ROOT: "/cache/native",
    });
    expect(workerCommandFor("tfjs", { frameworkRoots }).env).toEqual({});
  });

  it("hands a Node worker the pins' install once prepared, alongside the run's GPU selection", async () => {
    const dir = await tempDir();
    const pins = join(dir, "pins");
    await mkdir(pins);
    await writeFile(join(pins, "package.json"), JSON.stringify({ private: true }));
    await writeFile(
      join(pins, "package-lock.json"),
      JSON.stringify({ lockfileVersion: 3, requires: true, packages: { "": {} } }),
    );
    const io = localRunBoundaries({
      caseTimeoutS: 30,
      workerPath: scripted.args[0],
      pinsDir: pins,
      installCacheRoot: join(dir, "cache"),
    });
    await io.prepare!("cpu", ["onnxruntime-node"]);
    const [root] = await readdir(join(dir, "cache"));
    const outcome = await io.runCase(caseSpec({ framework: "env" }), () => undefined, { CUDA_VISIBLE_DEVICES: "0" });
    expect(outcome.result?.framework.details).toEqual({
      CUDA_VISIBLE_DEVICES: "0",
      ROSETTA_BENCH_FRAMEWORKS_ROOT: join(dir, "cache", root!),
    });
  });
});

describe("toCaseResult", () => {
  it("turns an ok outcome with impossible figures into a failed case that says which, keeping the version", async () => {
    const outcome = await runCase(caseSpec({ framework: "ok" }), { worker: scripted, timeoutMs: 30_000 });
    expect(outcome.status).toBe("ok");
    const broken = { ...outcome, samples: { batch_s: [0.1, 0, -1] } };
    const c = toCaseResult(caseSpec({ framework: "ok" }), broken);
    expect(c.status).toBe("failed");
    expect(c.reason).toBe(
      "the worker reported impossible figures: batch_s[1] = 0 (must be above 0), batch_s[2] = -1 (must be above 0)",
    );
    expect(c.framework.version).toBe("9.9.9");
    expect(c.samples).toEqual({});
    expect(toCaseResult(caseSpec({ framework: "ok" }), outcome).status).toBe("ok");
  });
});
