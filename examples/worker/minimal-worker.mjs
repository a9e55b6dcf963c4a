#!/usr/bin/env node
// A minimal program that speaks rosetta-bench's worker protocol, to copy when
// wrapping a framework of your own (`--worker NAME="node minimal-worker.mjs"`).
// In: one case spec as JSON on stdin (schemas/case-spec.schema.json).
// Out: JSON lines on stdout (schemas/worker-message.schema.json): progress and
// sample lines, then one result, or one error ("unavailable" or "failed").
// Its computation is a stand-in (a plain JavaScript loop per batch), not
// ResNet-50: replace `runBatch` with your framework's forward pass.
import { writeSync } from "node:fs";

const emit = (message) => writeSync(1, JSON.stringify(message) + "\n");

let text = "";
for await (const chunk of process.stdin) text += chunk;
const spec = JSON.parse(text);

if (spec.workload !== "resnet50-features") {
  emit({
    type: "error",
    kind: "unavailable",
    message: `this example runs resnet50-features only, not ${spec.workload}`,
  });
  process.exit(0);
}

const { batchSize, batches, warmupPasses } = spec.params;
/** The stand-in: some arithmetic per image, so that timings are real and scale with the batch. */
function runBatch(size) {
  let sum = 0;
  for (let i = 0; i < size * 200_000; i++) sum += Math.sqrt(i);
  return sum;
}

for (let pass = 0; pass < warmupPasses; pass++) {
  for (let b = 0; b < batches; b++) runBatch(batchSize);
  emit({ type: "progress", phase: "warmup", done: pass + 1, total: warmupPasses });
}
const times = [];
for (let b = 0; b < batches; b++) {
  const started = performance.now();
  runBatch(batchSize);
  const seconds = (performance.now() - started) / 1000;
  times.push(seconds);
  emit({ type: "sample", name: "batch_s", value: seconds });
  emit({ type: "progress", phase: "measure", done: b + 1, total: batches });
}
const total = times.reduce((a, b) => a + b, 0);
const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
emit({
  type: "result",
  framework: { version: "0.1.0", backend: "plain JavaScript (an example, not ResNet-50)", details: {} },
  parameterCount: 0,
  metrics: {
    images_per_s: (batchSize * batches) / total,
    batch_s_median: median,
    s_per_1000_images: (1000 * total) / (batchSize * batches),
  },
});
