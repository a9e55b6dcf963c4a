/**
 * Time from start to the end of the first case, with a repository's framework
 * pins cold (installed now), warm (already in the cache) and without pins (the
 * tool's own frameworks), side by side in one run: what pins add to a CI job.
 *
 *   node scripts/bench.mjs first-case
 *
 * The case is the smallest there is (ResNet-50 features, onnxruntime-node, smoke)
 * so the install dominates the cold figure. Needs the npm registry for the cold
 * install.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";

const cli = resolve("dist", "cli.js");
const tool = JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string> };

function timed(cwd: string, env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [cli, "run", "--frameworks", "onnxruntime-node", "--workloads", "resnet50-features"],
    { cwd, env, encoding: "utf8" },
  );
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`run failed in ${cwd}: ${run.stderr}`);
  return seconds;
}

const plain = mkdtempSync(join(os.tmpdir(), "rb-bench-own-"));
const repo = mkdtempSync(join(os.tmpdir(), "rb-bench-pins-"));
const pins = join(repo, ".rosetta-bench", "frameworks");
mkdirSync(pins, { recursive: true });
writeFileSync(
  join(pins, "package.json"),
  JSON.stringify({ private: true, dependencies: { "onnxruntime-node": tool.dependencies["onnxruntime-node"] } }),
);
execFileSync("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], {
  cwd: pins,
  stdio: "ignore",
});
const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: mkdtempSync(join(os.tmpdir(), "rb-bench-cache-")) };
delete env.RUNNER_TOOL_CACHE;

const own = [timed(plain, env)];
const cold = timed(repo, env);
const warm = [timed(repo, env), timed(repo, env)];
own.push(timed(plain, env));
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

console.log(`machine: ${os.cpus()[0]?.model ?? "unknown"} × ${os.availableParallelism()}, Node ${process.version}`);
console.log(`start to first case, onnxruntime-node ${tool.dependencies["onnxruntime-node"]}, smoke:`);
console.log(`  the tool's own frameworks  ${own.map((s) => s.toFixed(2)).join(" s, ")} s`);
console.log(`  pins, cold (npm ci)        ${cold.toFixed(2)} s   (${(cold - median(own)).toFixed(2)} s more)`);
console.log(
  `  pins, warm (cached)        ${warm.map((s) => s.toFixed(2)).join(" s, ")} s   (${(median(warm) - median(own)).toFixed(2)} s more)`,
);
