/**
 * The cnn-cifar10 training step (batch 64) side by side: tfjs on the wasm
 * backend with our registered gradients, and Debian's PyTorch on the CPU, both
 * on the same number of threads (bench/torch/cnn_step.py, a child process
 * printing JSON). tfjs starts its wasm backend as the worker does
 * (workloads/frameworks/wasm-threads.ts), so --threads 1 is the single-threaded
 * SIMD build and more is the threaded one.
 *
 *   node scripts/bench.mjs cnn-step [--threads N] [--tfjs-threads M] [--rounds 2] [--steps 5] [--warmup 2] [--profile]
 *
 * N defaults to every core (os.availableParallelism()); M, tfjs's own count, to
 * N (--tfjs-threads 1 gives the single-threaded figure tfjs had before).
 *
 * Each round runs PyTorch, then tfjs, so a busy neighbour on this shared
 * machine weighs on both; the medians of every round are printed, then the
 * median of all samples and the ratio. --profile adds tfjs's kernel times for
 * one step, grouped by kernel. Needs `apt-get install python3-torch` (which
 * installs into /usr/bin/python3, not the python3 first on PATH).
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import { promisify } from "node:util";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import * as wasmBackend from "@tensorflow/tfjs-backend-wasm";
import { median } from "../src/judge/statistics.js";
import { createCnnTrainer } from "../workloads/cnn/model.js";
import { threadHeadroom } from "./lib/capacity.js";
import { startWasmBackend } from "../workloads/frameworks/wasm-threads.js";
import { SeededRandom } from "../workloads/rng.js";

const PYTHON = "/usr/bin/python3";
const BATCH = 64;

const { values: args } = parseArgs({
  // argv[2] is the bench name (scripts/bench.mjs NAME ...).
  args: process.argv.slice(3),
  options: {
    threads: { type: "string", default: String(os.availableParallelism()) },
    "tfjs-threads": { type: "string" },
    rounds: { type: "string", default: "2" },
    steps: { type: "string", default: "5" },
    warmup: { type: "string", default: "2" },
    profile: { type: "boolean", default: false },
  },
});
const rounds = Number(args.rounds);
const steps = Number(args.steps);
const warmup = Number(args.warmup);
const threads = Number(args.threads);
const tfjsThreads = Number(args["tfjs-threads"] ?? threads);

const images = new SeededRandom(1).fillUniform(new Float32Array(BATCH * 3 * 32 * 32));
const labelRng = new SeededRandom(2);
const labels = Int32Array.from({ length: BATCH }, () => Math.floor(labelRng.next() * 10));

async function torchRound(): Promise<number[] | string> {
  try {
    const { stdout } = await promisify(execFile)(PYTHON, [
      "bench/torch/cnn_step.py",
      `--threads=${threads}`,
      `--batch=${BATCH}`,
      `--warmup=${warmup}`,
      `--steps=${steps}`,
    ]);
    const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as { stepSeconds?: unknown; version?: unknown };
    if (!Array.isArray(result.stepSeconds)) return "no stepSeconds in the child's output";
    torchVersion = String(result.version);
    return result.stepSeconds.map(Number);
  } catch (err) {
    return `PyTorch unavailable: ${(err as Error).message.split("\n")[0]}`;
  }
}
let torchVersion = "?";

async function tfjsRound(): Promise<number[]> {
  const trainer = createCnnTrainer(tf, 1);
  const times: number[] = [];
  for (let i = 0; i < warmup + steps; i++) {
    const start = performance.now();
    await trainer.trainStep(images, labels, BATCH);
    if (i >= warmup) times.push((performance.now() - start) / 1000);
  }
  trainer.dispose();
  return times;
}

async function profileStep(): Promise<void> {
  const trainer = createCnnTrainer(tf, 1);
  await trainer.trainStep(images, labels, BATCH);
  const info = await tf.profile(async () => {
    await trainer.trainStep(images, labels, BATCH);
  });
  trainer.dispose();
  const byKernel = new Map<string, number>();
  for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  console.log(`\ntfjs wasm kernel time in one step: ${total.toFixed(0)} ms`);
  for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 12))
    console.log(
      `  ${name.padEnd(16)} ${ms.toFixed(0).padStart(6)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)}%`,
    );
}

const started = await startWasmBackend(tf, wasmBackend, tfjsThreads, createRequire(import.meta.url));
if (started.threads === 0) throw new Error("the tfjs wasm backend failed to start");
const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
console.log(
  `machine: ${os.cpus()[0]?.model ?? "unknown"} × ${os.availableParallelism()}, load ${os.loadavg()[0]!.toFixed(2)}`,
);
console.log(`cnn-cifar10 training step, batch ${BATCH}: ${rounds} rounds × ${steps} steps after ${warmup} warm-up`);
console.log(
  `tfjs ${tf.version.tfjs} wasm (SIMD ${simd}, ${started.threads} threads${started.problem ? `: ${started.problem}` : ""}) vs PyTorch (${PYTHON}, ${threads} threads)\n`,
);

const all = { tfjs: [] as number[], torch: [] as number[] };
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(" ");
for (let r = 1; r <= rounds; r++) {
  const torch = await torchRound();
  const wasm = await tfjsRound();
  all.tfjs.push(...wasm);
  if (typeof torch === "string") console.log(`round ${r}: ${torch}`);
  else all.torch.push(...torch);
  console.log(`round ${r}: tfjs-wasm median ${median(wasm).toFixed(3)} s  [${fmt(wasm)}]`);
  if (typeof torch !== "string")
    console.log(`round ${r}: pytorch   median ${median(torch).toFixed(3)} s  [${fmt(torch)}]`);
  if (threads > 1)
    console.log(
      `round ${r}: headroom  ${(await threadHeadroom(threads)).toFixed(2)}× (trivially parallel JS, ${threads} threads vs 1; ${threads}× when idle)`,
    );
}
const tfjsMedian = median(all.tfjs);
console.log(`\ntfjs-wasm: median ${tfjsMedian.toFixed(3)} s/step, ${(BATCH / tfjsMedian).toFixed(1)} images/s`);
if (all.torch.length > 0) {
  const torchMedian = median(all.torch);
  console.log(
    `pytorch ${torchVersion}: median ${torchMedian.toFixed(3)} s/step, ${(BATCH / torchMedian).toFixed(1)} images/s`,
  );
  console.log(`ratio tfjs-wasm / pytorch: ${(tfjsMedian / torchMedian).toFixed(2)}× (target ≤ 2.5×)`);
}
if (args.profile) await profileStep();
// The threaded backend's pthread workers keep Node alive until the backend is disposed.
tf.removeBackend("wasm");
