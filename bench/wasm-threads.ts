/**
 * ResNet-50 features on tfjs's wasm backend, one thread against N threads, side
 * by side in one run: each case runs in the real worker (dist/worker.js, so run
 * `node scripts/build.mjs` first), exactly as `rosetta-bench run` starts it.
 *
 *   node scripts/bench.mjs wasm-threads [--threads N] [--rounds 3] [--batch 4] [--batches 4]
 *
 * N defaults to every core. The two settings alternate within each round (one
 * thread first, then N), so a busy neighbour on a shared machine weighs on both;
 * the medians of all batch times are compared, and the features of the two are
 * checked to agree. Each round also measures the machine's headroom for threads
 * (bench/lib/capacity.ts): what N threads of trivially parallel work gain over
 * one at that moment, the ceiling of any speed-up this bench can show.
 */
import { spawn } from "node:child_process";
import os from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { PROTOCOL_VERSION, type FeatureCaseSpec } from "../src/core/protocol.js";
import { maxRelativeDifference } from "../src/run/cross-check.js";
import { median } from "../src/judge/statistics.js";
import { threadHeadroom } from "./lib/capacity.js";

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    threads: { type: "string", default: String(os.availableParallelism()) },
    rounds: { type: "string", default: "3" },
    batch: { type: "string", default: "4" },
    batches: { type: "string", default: "4" },
  },
});
const threads = Number(args.threads);
const rounds = Number(args.rounds);

interface Outcome {
  batchS: number[];
  threads: number;
  probe: number[];
}

function runWorker(caseThreads: number): Promise<Outcome> {
  const spec: FeatureCaseSpec = {
    protocol: PROTOCOL_VERSION,
    id: `resnet50-features/tfjs/cpu/bench-${caseThreads}`,
    framework: "tfjs",
    workload: "resnet50-features",
    device: "cpu",
    profile: "bench",
    seed: 1,
    threads: caseThreads,
    params: { batchSize: Number(args.batch), batches: Number(args.batches), imageSize: 224, warmupPasses: 1 },
  };
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve("dist", "worker.js")], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", fail);
    child.on("close", (code) => {
      const messages = out
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const result = messages.find((m) => m.type === "result") as
        { framework: { details: Record<string, unknown> }; probe?: number[] } | undefined;
      if (!result) return fail(new Error(`worker exited ${code} without a result: ${out.slice(-500)}`));
      done({
        batchS: messages.filter((m) => m.type === "sample" && m.name === "batch_s").map((m) => Number(m.value)),
        threads: Number(result.framework.details.threads),
        probe: result.probe ?? [],
      });
    });
    child.stdin.end(JSON.stringify(spec));
  });
}

console.log(`machine: ${os.cpus()[0]?.model ?? "unknown"} × ${os.availableParallelism()}, Node ${process.version}`);
console.log(
  `ResNet-50 features, tfjs wasm, batch ${args.batch} × ${args.batches} batches at 224×224, ${rounds} rounds; 1 thread vs ${threads}\n`,
);
const all = { one: [] as number[], many: [] as number[], headroom: [] as number[] };
let ran = 0;
let agreement = 0;
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(" ");
for (let r = 1; r <= rounds; r++) {
  const one = await runWorker(1);
  const headroom = await threadHeadroom(threads);
  const many = await runWorker(threads);
  all.headroom.push(headroom);
  all.one.push(...one.batchS);
  all.many.push(...many.batchS);
  ran = many.threads;
  agreement = Math.max(agreement, maxRelativeDifference(one.probe, many.probe));
  console.log(
    `round ${r}: ${one.threads} thread   median ${median(one.batchS).toFixed(3)} s/batch  [${fmt(one.batchS)}]`,
  );
  console.log(`round ${r}: headroom  ${headroom.toFixed(2)}× (trivially parallel JS, ${threads} threads vs 1)`);
  console.log(
    `round ${r}: ${many.threads} threads  median ${median(many.batchS).toFixed(3)} s/batch  [${fmt(many.batchS)}]  (${(median(one.batchS) / median(many.batchS)).toFixed(2)}× this round)`,
  );
}
const oneMedian = median(all.one);
const manyMedian = median(all.many);
const perImage = (s: number) => (Number(args.batch) / s).toFixed(2);
console.log(`\n1 thread:   median ${oneMedian.toFixed(3)} s/batch, ${perImage(oneMedian)} images/s`);
console.log(`${ran} threads:  median ${manyMedian.toFixed(3)} s/batch, ${perImage(manyMedian)} images/s`);
console.log(`speed-up ${ran} threads / 1 thread: ${(oneMedian / manyMedian).toFixed(2)}× (target ≥ 1.7× on 2 cores)`);
console.log(
  `machine headroom for ${threads} threads during the run: median ${median(all.headroom).toFixed(2)}× (about ${threads}× when idle)`,
);
console.log(`features, largest relative difference between the two: ${agreement.toExponential(2)}`);
