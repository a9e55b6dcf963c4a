/**
 * GRU training step (batch 64, the full model): tfjs wasm with the fused GRU
 * against Debian's PyTorch 1.13 on the CPU (2 threads; wasm runs on one), on
 * this machine in one run. Rounds alternate between the two so background load
 * hits both alike. The target: tfjs-wasm within 2× of PyTorch.
 *
 *   node scripts/bench.mjs gru-step      (GRU_ROUNDS=3 GRU_STEPS=3 GRU_PYTHON=/usr/bin/python3)
 */
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { z } from "zod";
import { createRnnTrainer } from "../workloads/rnn/model.js";
import { envInt, fmt, gruBatches, median, tf, timeStep, useWasm } from "./lib/gru-timing.js";

const rounds = envInt("GRU_ROUNDS", 3);
const steps = envInt("GRU_STEPS", 3);
const threads = envInt("GRU_TORCH_THREADS", 2);
// Debian's torch lives with Debian's python, not the python3 first on PATH.
const python = process.env.GRU_PYTHON ?? "/usr/bin/python3";

const TorchResult = z.object({
  torch: z.string(),
  threads: z.number(),
  parameters: z.number(),
  times: z.array(z.number()),
});

async function torchRound(): Promise<z.infer<typeof TorchResult>> {
  // scripts/bench.mjs runs from the repository root, as its own bench/ paths assume.
  const script = resolve("bench", "torch", "gru_step.py");
  const args = [script, "--warmup", "1", "--steps", String(steps), "--threads", String(threads)];
  const { stdout } = await promisify(execFile)(python, args, { maxBuffer: 1 << 20 });
  return TorchResult.parse(JSON.parse(stdout));
}

await useWasm();
const trainer = createRnnTrainer(tf, 7, "fused");
const batches = gruBatches(steps + 1);
await timeStep(trainer, batches[steps]!); // warm-up (first-call costs)
const tfjsTimes: number[] = [];
const torchTimes: number[] = [];
let torchInfo = "";
for (let r = 0; r < rounds; r++) {
  const torch = await torchRound();
  torchTimes.push(...torch.times);
  torchInfo = `PyTorch ${torch.torch}, ${torch.threads} threads, ${torch.parameters.toLocaleString("en-US")} parameters`;
  for (let i = 0; i < steps; i++) tfjsTimes.push(await timeStep(trainer, batches[i]!));
}
trainer.dispose();
const tfjsMedian = median(tfjsTimes);
const torchMedian = median(torchTimes);
console.log(`${rounds} rounds × ${steps} timed steps each, batch 64, 150 steps, alternating`);
console.log(
  `tfjs ${tf.version.tfjs} wasm fused (1 thread, ${trainer.parameterCount.toLocaleString("en-US")} parameters): median ${tfjsMedian.toFixed(3)} s/step  (${fmt(tfjsTimes)})`,
);
console.log(`${torchInfo}: median ${torchMedian.toFixed(3)} s/step  (${fmt(torchTimes)})`);
console.log(`tfjs-wasm / PyTorch = ${(tfjsMedian / torchMedian).toFixed(2)}×  (target ≤ 2×)`);
