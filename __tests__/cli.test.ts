import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resultsSchema } from "../src/core/results-schema.js";
import { COMMANDS, flagOf, OPTIONS } from "../src/configure/options.js";
import { describeEnvironment } from "../src/prepare/environment.js";
import { ENVIRONMENT, okCase, results, tempDir } from "./helpers.js";
import { cleanEnv, ROOT, runNode } from "./process.js";
import { fixture } from "./data/fixture-values.js";
import { startLoopbackServer } from "./data/loopback-server.js";
import { TORCH_PYTHON } from "./python.js";

/** The environment of a machine whose nvidia-smi is the stand-in replaying fixtures/nvidia-smi/<fixture>. */
function standInGpus(fixture: string): NodeJS.ProcessEnv {
  const env = cleanEnv({
    PATH: `${join(ROOT, "fixtures", "nvidia-smi")}:${process.env.PATH ?? ""}`,
    NVIDIA_SMI_FIXTURE: join(ROOT, "fixtures", "nvidia-smi", fixture),
  });
  delete env.CUDA_VISIBLE_DEVICES;
  return env;
}

const cli = (cwd: string, ...args: string[]) => runNode("dist/cli.js", args, { cwd, env: cleanEnv({}) });

describe("rosetta-bench CLI (node dist/cli.js)", () => {
  it("prints usage with --help, listing every command and every flag", async () => {
    const run = await cli(await tempDir(), "--help");
    expect(run.code).toBe(0);
    for (const c of COMMANDS) expect(run.stdout).toContain(`rosetta-bench ${c}`);
    for (const o of OPTIONS) {
      const flag = flagOf(o);
      if (flag) expect(run.stdout).toContain(`--${flag}`);
    }
    expect((await cli(await tempDir(), "compare", "--help")).code).toBe(0);
  });

  it("rejects a flag the command does not take, naming both, with exit status 2", async () => {
    const dir = await tempDir();
    const describe = await cli(dir, "describe", "cnn-cifar10", "--threshold", "abc");
    expect(describe.code).toBe(2);
    expect(describe.stderr).toBe(
      "rosetta-bench: '--threshold' is not an option of 'describe'; it takes --framework, --json\nSee 'rosetta-bench --help'.\n",
    );
    const compare = await cli(dir, "compare", "--profile", "full");
    expect(compare.code).toBe(2);
    expect(compare.stderr).toContain("'--profile' is not an option of 'compare'");
    const stray = await cli(dir, "run", "extra");
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("'run' takes no argument 'extra'");
    expect(existsSync(join(dir, "rosetta-bench-results.json"))).toBe(false);
  });

  it("fails the gate when nothing was measured, and says so, unless --allow-empty true", async () => {
    const dir = await tempDir();
    const gone = {
      ...okCase("onnxruntime-node", 20),
      status: "unavailable" as const,
      reason: "x",
      metrics: {},
      samples: {},
    };
    await writeFile(join(dir, "empty.json"), JSON.stringify(results([gone])));
    const gated = await cli(dir, "compare", "--results", "empty.json", "--fail-on-regression");
    expect(gated.code).toBe(1);
    expect(gated.stdout).toContain("**⚠️ Nothing measured: 1 unavailable**");
    expect(gated.stderr).toContain("rosetta-bench: nothing was measured (every case unavailable or failed)");
    const allowed = await cli(
      dir,
      "compare",
      "--results",
      "empty.json",
      "--fail-on-regression",
      "--allow-empty",
      "true",
    );
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("**⚠️ Nothing measured: 1 unavailable**");
  });

  it("on two GPUs and no CUDA stack: gpu:1 alone is the testbed, every GPU case says why it is unavailable, and the gate fails", async () => {
    const dir = await tempDir();
    const env = standInGpus("two-gpus");
    const args = ["run", "--frameworks", "onnxruntime-node,tfjs-node-gpu", "--workloads", "resnet50-features"];
    const run = await runNode("dist/cli.js", [...args, "--device", "gpu:1", "--fail-on-regression"], { cwd: dir, env });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("**⚠️ Nothing measured on the GPU: 2 unavailable**");
    expect(run.stderr).toContain(
      "rosetta-bench: nothing was measured on the GPU (every GPU case unavailable or failed)",
    );
    const saved = resultsSchema.parse(JSON.parse(await readFile(join(dir, "rosetta-bench-results.json"), "utf8")));
    expect(saved.device).toBe("gpu");
    expect(saved.environment.gpus.map((g) => g.name)).toEqual(["NVIDIA A100-SXM4-40GB"]);
    expect(saved.cases.map((c) => [c.framework.id, c.device, c.status])).toEqual([
      ["onnxruntime-node", "gpu", "unavailable"],
      ["tfjs-node-gpu", "gpu", "unavailable"],
    ]);
    for (const c of saved.cases) expect(c.reason ?? "").not.toBe("");
    expect(saved.cases[0]?.reason).toContain("CUDA execution provider");
    // Where the CUDA 11 libraries are absent (these machines), tfjs-node-gpu says so before loading.
    expect(saved.cases[1]?.reason).toMatch(
      /needs CUDA 11\.2 and cuDNN 8\.1; not found: .*libcudart\.so\.11\.0|could not be loaded/,
    );

    const elsewhere = await tempDir();
    const missing = await runNode("dist/cli.js", [...args, "--device", "gpu:5"], { cwd: elsewhere, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "rosetta-bench: device: 'gpu:5' names GPU 5, which nvidia-smi does not list; it lists: 0 (NVIDIA H100 80GB HBM3), 1 (NVIDIA A100-SXM4-40GB)\n",
    );
    expect(existsSync(join(elsewhere, "rosetta-bench-results.json"))).toBe(false);
  });

  it("keeps every entry when six baseline updates run at once on one file", async () => {
    const dir = await tempDir();
    const names = Array.from({ length: 6 }, (_, i) => `framework-${i}`);
    for (const name of names) await writeFile(join(dir, `${name}.json`), JSON.stringify(results([okCase(name, 10)])));
    const runs = await Promise.all(
      names.map((name) => cli(dir, "baseline", "update", "--results", `${name}.json`, "--baseline", "baseline.json")),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const saved = JSON.parse(await readFile(join(dir, "baseline.json"), "utf8")) as {
      entries: Array<{ case: { framework: string } }>;
    };
    expect(saved.entries.map((e) => e.case.framework).sort()).toEqual(names);
    expect((await readdir(dir)).filter((f) => f.includes(".lock") || f.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses an output it cannot write before running anything, naming the flag", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "a-file"), "");
    const run = await cli(dir, "run", "--results", "a-file/results.json");
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `rosetta-bench: --results: 'a-file/results.json' cannot be written: '${join(dir, "a-file")}' is a file, not a folder\n`,
    );
    const overwrite = await cli(dir, "run", "--report", ".rosetta-bench/baseline.json");
    expect(overwrite.code).toBe(2);
    expect(overwrite.stderr).toContain("is the baseline file");
  });

  it("on Ctrl-C stops the worker, keeps what was measured, and exits 130", async () => {
    const dir = await tempDir();
    const child = spawn(
      process.execPath,
      [join(ROOT, "dist/cli.js"), "run", "--frameworks", "onnxruntime-node,tfjs", "--workloads", "resnet50-features"],
      {
        cwd: dir,
        env: cleanEnv({}),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    let workers: number[] = [];
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stderr.setEncoding("utf8").on("data", (text: string) => {
        stderr += text;
        // The second case (tfjs on wasm) is measuring: interrupt it.
        if (workers.length === 0 && /\[2\/2\] .*: (warmup|measure) /.test(stderr)) {
          workers = execFileSync("ps", ["-o", "pid=", "--ppid", String(child.pid)], { encoding: "utf8" })
            .split("\n")
            .map(Number)
            .filter((pid) => pid > 0);
          child.kill("SIGINT");
          resolve();
        }
      });
    });
    expect(await exited).toBe(130);
    expect(workers.length).toBeGreaterThan(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
    expect(stderr).toContain("rosetta-bench: SIGINT: stopping the running case; the cases done so far are kept");
    expect(stderr).toContain("rosetta-bench: interrupted by SIGINT; the results hold the cases done before it");
    const saved = resultsSchema.parse(JSON.parse(await readFile(join(dir, "rosetta-bench-results.json"), "utf8")));
    expect(saved.cases.map((c) => [c.framework.id, c.status, c.reason])).toEqual([
      ["onnxruntime-node", "ok", undefined],
      ["tfjs", "failed", "interrupted (SIGINT) before the case finished"],
    ]);
  });

  it("doctor: names the GPUs, the CUDA libraries each GPU build needs, and what loads where, with what to do", async () => {
    const env = standInGpus("two-gpus");
    const run = await runNode("dist/cli.js", ["doctor"], { cwd: await tempDir(), env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "GPUs (nvidia-smi): 0: NVIDIA H100 80GB HBM3, 81559 MiB; 1: NVIDIA A100-SXM4-40GB, 40960 MiB",
    );
    expect(run.stdout).toContain("Driver 580.159.04, supporting CUDA up to 13.0");
    expect(run.stdout).toMatch(
      /tfjs-node-gpu \(libtensorflow 2\.9\.1\): CUDA 11\.2 and cuDNN 8\.1: (all found|missing libcudart)/,
    );
    expect(run.stdout).toContain("  tfjs on the cpu: ✅ loads; runs on wasm (tfjs 4.22.0)");
    expect(run.stdout).toContain(
      "  onnxruntime-node on the cpu: ✅ loads; runs on CPUExecutionProvider (onnxruntime-node 1.30.0)",
    );
    expect(run.stdout).toMatch(
      / {2}onnxruntime-node on the gpu: ❌ unavailable: CUDA execution provider unavailable.*\n {6}→ fetch the CUDA provider/,
    );
    expect(run.stdout).toMatch(/ {2}tfjs-node-gpu on the gpu: ❌ unavailable: .*\n {6}→ /);
  });

  it("measures the repository's own framework pins (onnxruntime-node 1.29.0 from npm), judges them against a 1.30.0 baseline, and installs once", async () => {
    const repo = await tempDir();
    const cache = await tempDir();
    execFileSync("git", ["init", "-q", "."], { cwd: repo });
    const env = cleanEnv({ XDG_CACHE_HOME: cache });
    const args = ["run", "--frameworks", "onnxruntime-node", "--workloads", "resnet50-features"];
    // The baseline, recorded with the tool's own pins (1.30.0).
    const before = await runNode("dist/cli.js", [...args, "--results", "before.json"], { cwd: repo, env });
    expect(before.code, before.stderr).toBe(0);
    expect((await cli(repo, "baseline", "update", "--results", "before.json")).code).toBe(0);

    const pins = join(repo, ".rosetta-bench", "frameworks");
    await mkdir(pins, { recursive: true });
    await writeFile(
      join(pins, "package.json"),
      JSON.stringify({ private: true, dependencies: { "onnxruntime-node": "1.29.0" } }),
    );
    execFileSync("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: pins,
      stdio: "pipe",
    });

    const cold = await runNode("dist/cli.js", args, { cwd: repo, env });
    expect(cold.code, cold.stderr).toBe(0);
    expect(cold.stderr).toContain(`Installing the framework pins of ${pins} (cpu)`);
    expect(cold.stdout).toContain("**Changed since the baseline:** onnxruntime-node 1.30.0 → 1.29.0");
    const saved = resultsSchema.parse(JSON.parse(await readFile(join(repo, "rosetta-bench-results.json"), "utf8")));
    expect(saved.cases[0]?.framework.version).toBe("1.29.0");
    expect(cold.stdout).not.toContain("not judged");

    // Warm: an npm that fails if anything calls it.
    const bin = join(cache, "bin");
    await mkdir(bin);
    await writeFile(join(bin, "npm"), "#!/bin/sh\necho 'npm was called' >&2\nexit 97\n", { mode: 0o755 });
    const warm = await runNode("dist/cli.js", args, { cwd: repo, env: { ...env, PATH: `${bin}:${env.PATH ?? ""}` } });
    expect(warm.code, warm.stderr).toBe(0);
    expect(warm.stderr).not.toContain("Installing the framework pins");
    expect(warm.stderr).not.toContain("npm was called");
    expect(warm.stdout).toContain("onnxruntime-node 1.30.0 → 1.29.0");
  }, 180_000);

  it("frameworks init writes the tool's own pins as a locked npm folder, and refuses to overwrite one", async () => {
    const repo = await tempDir();
    const tool = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const init = await cli(repo, "frameworks", "init");
    expect(init.code, init.stderr).toBe(0);
    const pins = join(repo, ".rosetta-bench", "frameworks");
    const manifest = JSON.parse(await readFile(join(pins, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies).toEqual({
      "@tensorflow/tfjs": tool.dependencies["@tensorflow/tfjs"],
      "@tensorflow/tfjs-backend-wasm": tool.dependencies["@tensorflow/tfjs-backend-wasm"],
      "onnxruntime-node": tool.dependencies["onnxruntime-node"],
    });
    const lock = JSON.parse(await readFile(join(pins, "package-lock.json"), "utf8")) as {
      packages: Record<string, { version?: string }>;
    };
    expect(lock.packages["node_modules/onnxruntime-node"]?.version).toBe(tool.dependencies["onnxruntime-node"]);
    expect(existsSync(join(pins, "node_modules"))).toBe(false);

    const again = await cli(repo, "frameworks", "init");
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`'${join(pins, "package.json")}' already exists`);
  }, 120_000);

  it("runs an external worker (examples/worker) as a framework: planned, run, recorded, judged", async () => {
    const dir = await tempDir();
    const worker = `example=node ${join(ROOT, "examples", "worker", "minimal-worker.mjs")}`;
    const args = ["run", "--frameworks", "onnxruntime-node", "--workloads", "resnet50-features", "--worker", worker];
    const first = await cli(dir, ...args, "--results", "first.json");
    expect(first.code, first.stderr).toBe(0);
    const saved = resultsSchema.parse(JSON.parse(await readFile(join(dir, "first.json"), "utf8")));
    expect(saved.cases.map((c) => [c.id, c.status, c.framework.version])).toEqual([
      ["resnet50-features/onnxruntime-node/cpu/smoke", "ok", "1.30.0"],
      ["resnet50-features/example/cpu/smoke", "ok", "0.1.0"],
    ]);
    expect(saved.cases[1]?.samples.batch_s).toHaveLength(6);
    expect((await cli(dir, "baseline", "update", "--results", "first.json")).code).toBe(0);
    const second = await cli(dir, ...args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(
      /\| example 0\.1\.0 +\| cpu +\| [\d.]+ → [\d.]+ +\| [+-][\d.]+% +\| (⚪ unchanged|🟡 inconclusive|🟢 improvement|🔴 regression) /,
    );

    const clash = await cli(dir, "run", "--worker", "tfjs=node x.mjs");
    expect(clash.code).toBe(2);
    expect(clash.stderr).toBe("rosetta-bench: --worker: 'tfjs' is already a framework; give the worker another name\n");
  });

  it("samples the GPU while a GPU case runs and flags a throttled, shared, idle GPU in the report", async () => {
    const env = standInGpus("throttled-shared");
    const dir = await tempDir();
    const worker = `example=node ${join(ROOT, "examples", "worker", "minimal-worker.mjs")}`;
    const run = await runNode(
      "dist/cli.js",
      [
        "run",
        "--device",
        "gpu:1",
        "--frameworks",
        "tfjs-node-gpu",
        "--workloads",
        "resnet50-features",
        "--worker",
        worker,
      ],
      { cwd: dir, env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      "- example 0.1.0 (gpu), 🆕 new: ⚠️ GPU throttled (thermal (software)); another process on the GPU (python3 (4242)); GPU mostly idle (12% mean utilisation)",
    );
    const saved = resultsSchema.parse(JSON.parse(await readFile(join(dir, "rosetta-bench-results.json"), "utf8")));
    const telemetry = saved.cases.find((c) => c.framework.id === "example")?.gpuTelemetry;
    expect(telemetry).toMatchObject({ temperatureMaxC: 91, smClockMinMHz: 1005, throttled: ["thermal (software)"] });
    expect(telemetry?.samples).toBeGreaterThanOrEqual(1);
  });

  it("compares three testbeds' results in one report: one headline naming them, each judged against its own entries", async () => {
    const dir = await tempDir();
    const box = (cpu: string) => ({ ...ENVIRONMENT, cpu: { model: cpu, cores: 8 } });
    const [a, b, c] = [box("Runner A CPU"), box("Runner B CPU"), box("Runner C CPU")];
    const before = (env: typeof a) => results([okCase("onnxruntime-node", 20)], env);
    await writeFile(join(dir, "a0.json"), JSON.stringify(before(a)));
    await writeFile(join(dir, "b0.json"), JSON.stringify(before(b)));
    for (const f of ["a0.json", "b0.json"]) expect((await cli(dir, "baseline", "update", "--results", f)).code).toBe(0);
    await mkdir(join(dir, "artifacts"));
    await writeFile(join(dir, "artifacts", "a.json"), JSON.stringify(before(a)));
    // B is 60% slower: batch times 1.6 × the baseline's.
    await writeFile(
      join(dir, "artifacts", "b.json"),
      JSON.stringify(results([okCase("onnxruntime-node", 20 / 1.6)], b)),
    );
    await writeFile(join(dir, "artifacts", "c.json"), JSON.stringify(before(c)));

    const run = await cli(dir, "compare", "--results", "artifacts", "--report", "fleet.md", "--fail-on-regression");
    expect(run.code).toBe(1);
    // One top heading, naming the three testbeds, each with its mark.
    expect(run.stdout.match(/^## .*$/gm)).toEqual([
      "## rosetta-bench on 3 testbeds: ✅ Runner A CPU × 8 · 🔴 Runner B CPU × 8 · ➖ Runner C CPU × 8",
    ]);
    expect(run.stdout).toContain(
      "**🔴 Performance regressed on 1 of 3 testbeds (Runner B CPU × 8): 1 regression, 1 unchanged, 1 not judged**",
    );
    expect(run.stdout).toMatch(/^- ✅ linux\/x64 · Runner A CPU × 8 · no GPU: ✅ No regression: 1 unchanged$/m);
    expect(run.stdout).toMatch(
      /^- 🔴 linux\/x64 · Runner B CPU × 8 · no GPU: 🔴 Performance regressed: 1 regression$/m,
    );
    expect(run.stdout).toMatch(
      /^- ➖ linux\/x64 · Runner C CPU × 8 · no GPU: no baseline for this testbed: 1 case shown, not judged$/m,
    );
    // A section per testbed; B's row is the regression, C's says it has no baseline.
    expect(run.stdout.match(/^### .*$/gm)).toEqual([
      "### ✅ linux/x64 · Runner A CPU × 8 · no GPU",
      "### 🔴 linux/x64 · Runner B CPU × 8 · no GPU",
      "### ➖ linux/x64 · Runner C CPU × 8 · no GPU",
    ]);
    const sectionB = run.stdout.slice(run.stdout.indexOf("### 🔴"), run.stdout.indexOf("### ➖"));
    expect(sectionB).toMatch(
      /^\| onnxruntime-node 1\.30\.0 \| cpu +\| 0\.2001 → 0\.3202 +\| \+60\.0% +\| 🔴 regression \|/m,
    );
    expect(run.stdout.slice(run.stdout.indexOf("### ➖"))).toContain(
      "No baseline for this testbed in `.rosetta-bench/baseline.json`: figures are reported, not judged",
    );
    expect(await readFile(join(dir, "fleet.md"), "utf8")).toBe(run.stdout);
    // The same with the files named one by one.
    const named = await cli(
      dir,
      "compare",
      "--results",
      "artifacts/a.json",
      "--results",
      "artifacts/b.json",
      "--report",
      "f2.md",
    );
    expect(named.code).toBe(0);
    expect(named.stdout).toContain("**🔴 Performance regressed on 1 of 2 testbeds");
    // A glob, quoted past the shell.
    const globbed = await cli(dir, "compare", "--results", "artifacts/[ab]*.json", "--results", "artifacts/c*.json");
    expect(globbed.stdout).toContain("## rosetta-bench on 3 testbeds");
    const nothing = await cli(dir, "compare", "--results", "artifacts/*.jsn");
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("--results: 'artifacts/*.jsn' matches no file");
    expect((await cli(dir, "run", "--results", "x.json", "--results", "y.json")).code).toBe(2);
  });

  it("shows each judged case's trend from the baseline's git history, and none with --trend 0", async () => {
    const dir = await tempDir();
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@e", ...args], { encoding: "utf8" });
    execFileSync("git", ["init", "-q", "-b", "main", dir]);
    for (const [i, speed] of [20, 19, 18].entries()) {
      const run = results([okCase("onnxruntime-node", speed)]);
      run.createdAt = new Date(Date.UTC(2026, 0, 1 + i)).toISOString();
      await writeFile(join(dir, `r${i}.json`), JSON.stringify(run));
      expect((await cli(dir, "baseline", "update", "--results", `r${i}.json`)).code).toBe(0);
      git("add", ".rosetta-bench");
      git("commit", "-q", "-m", `Refresh the rosetta-bench baseline for v1.${i}`);
    }
    await writeFile(join(dir, "now.json"), JSON.stringify(results([okCase("onnxruntime-node", 14)])));
    const run = await cli(dir, "compare", "--results", "now.json");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^- onnxruntime-node \(cpu\) ▁▂▃█ 0\.2001 \(v1\.0\) → 0\.2106 \(v1\.1\) → 0\.2223 \(v1\.2\) → 0\.2859 \(this run, \+28\.6% on v1\.2\)$/m,
    );
    const none = await cli(dir, "compare", "--results", "now.json", "--trend", "0");
    expect(none.stdout).not.toContain("**Trend**");
    const bad = await cli(dir, "compare", "--results", "now.json", "--trend", "21");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--trend");
  });

  it("rejects an unknown framework in one line with exit status 2, writing nothing", async () => {
    const dir = await tempDir();
    const run = await cli(dir, "run", "--frameworks", "tfjs,pytroch");
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "rosetta-bench: --frameworks: 'pytroch' is not accepted; accepted: tfjs, tfjs-node, tfjs-node-gpu, onnxruntime-node, pytorch\n",
    );
    expect(existsSync(join(dir, "rosetta-bench-results.json"))).toBe(false);
  });

  it("rejects an unknown option and an unknown command", async () => {
    const dir = await tempDir();
    expect((await cli(dir, "run", "--treshold", "5")).code).toBe(2);
    const bad = await cli(dir, "benchmark");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "rosetta-bench: unknown command 'benchmark'; accepted: run, compare, describe, verify, baseline update, baseline refresh, data fetch, doctor, frameworks init\nSee 'rosetta-bench --help'.\n",
    );
  });

  it("stops on a malformed baseline before running, leaving every file as it was", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "baseline.json"), "[1, 2");
    const run = await cli(dir, "run", "--baseline", "baseline.json");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^rosetta-bench: baseline file 'baseline.json' is not valid JSON: .*\n$/);
    expect(await readFile(join(dir, "baseline.json"), "utf8")).toBe("[1, 2");
    expect(existsSync(join(dir, "rosetta-bench-results.json"))).toBe(false);
  });

  it("builds a baseline from results, then compares and gates on request", async () => {
    const dir = await tempDir();
    // Results from "this machine", so the baseline's testbed matches the comparison's.
    const environment = describeEnvironment([]);
    await writeFile(join(dir, "before.json"), JSON.stringify(results([okCase("tfjs", 2)], environment)));
    await writeFile(join(dir, "after.json"), JSON.stringify(results([okCase("tfjs", 1.5)], environment)));

    const update = await cli(dir, "baseline", "update", "--results", "before.json", "--commit", "abc123");
    expect(update.code).toBe(0);
    expect(update.stderr).toBe("Baseline .rosetta-bench/baseline.json: 1 case(s) written, 1 entries in all\n");
    const baseline = JSON.parse(await readFile(join(dir, ".rosetta-bench/baseline.json"), "utf8")) as {
      entries: Array<{ source: { commit: string } }>;
    };
    expect(baseline.entries[0]?.source.commit).toBe("abc123");

    const same = await cli(dir, "compare", "--results", "before.json", "--fail-on-regression");
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("**✅ No regression: 1 unchanged**");

    const slower = await cli(dir, "compare", "--results", "after.json", "--fail-on-regression");
    expect(slower.code).toBe(1);
    expect(slower.stdout).toContain(
      "| tfjs 4.22.0 | cpu    | 2.001 → 2.668         | +33.3% | 🔴 regression | 1.5                   |",
    );
    expect(await readFile(join(dir, "after.md"), "utf8")).toBe(slower.stdout);

    const reportOnly = await cli(dir, "compare", "--results", "after.json");
    expect(reportOnly.code).toBe(0);
  });

  it("runs the default job: all three workloads on the frameworks that run here, with the same model", async () => {
    const dir = await tempDir();
    const run = await cli(dir, "run");
    for (const [i, id] of [
      "cnn-cifar10/tfjs/cpu/smoke/synthetic",
      "rnn-imdb/tfjs/cpu/smoke/synthetic",
      "resnet50-features/onnxruntime-node/cpu/smoke",
      "resnet50-features/tfjs/cpu/smoke",
    ].entries()) {
      expect(run.stderr).toContain(`[${i + 1}/4] ${id}: ok in`);
    }
    expect(run.code).toBe(0);
    const written = resultsSchema.parse(JSON.parse(await readFile(join(dir, "rosetta-bench-results.json"), "utf8")));
    expect(
      written.cases.map((c) => [c.id, c.status, c.parameterCount, (c.samples.batch_s ?? c.samples.step_s)?.length]),
    ).toEqual([
      ["cnn-cifar10/tfjs/cpu/smoke/synthetic", "ok", 3_441_592, 6],
      ["rnn-imdb/tfjs/cpu/smoke/synthetic", "ok", 3_818_302, 6],
      ["resnet50-features/onnxruntime-node/cpu/smoke", "ok", 23_508_032, 6],
      ["resnet50-features/tfjs/cpu/smoke", "ok", 23_508_032, 6],
    ]);
    for (const c of written.cases.slice(0, 2)) {
      expect(c.metrics.train_s).toBeGreaterThan(0);
      expect(c.metrics.test_accuracy).toBeGreaterThanOrEqual(0);
      expect(c.framework.details).toMatchObject({ data: "synthetic", gradients: "registered from wasm kernels" });
    }
    expect(written.environment.frameworks).toEqual({ "onnxruntime-node": "1.30.0", tfjs: "4.22.0" });
    expect(written.crossChecks).toHaveLength(1);
    expect(written.crossChecks[0]?.passed).toBe(true);
    expect(run.stdout).toContain("**✅ No regression: 4 new**");
    expect(run.stdout).toContain("(profile smoke trains less: not comparable)");
    expect(run.stdout).toMatch(/✅ resnet50-features: tfjs vs onnxruntime-node: \S+ \(tolerance 0\.01\)/);
  });

  it("describes each workload with the reference's parameter count", async () => {
    const dir = await tempDir();
    for (const [workload, count] of [
      ["cnn-cifar10", 3_441_592],
      ["rnn-imdb", 3_818_302],
      ["resnet50-features", 23_508_032],
    ] as const) {
      const run = await cli(dir, "describe", workload, "--json");
      expect(run.code).toBe(0);
      const d = JSON.parse(run.stdout) as { parameters: number; layers: Array<{ parameters: number }> };
      expect(d.parameters).toBe(count);
      expect(d.layers.reduce((a, l) => a + l.parameters, 0)).toBe(count);
    }
    const table = await cli(dir, "describe", "rnn-imdb");
    expect(table.stdout).toMatch(/^rnn-imdb: 3,818,302 parameters: the cuDNN GRU .*two bias vectors/);
    const bad = await cli(dir, "describe", "resnet50-features", "--framework", "onnxruntime-node");
    expect(bad.code).toBe(0);
    const wrong = await cli(dir, "describe", "cnn-cifar10", "--framework", "onnxruntime-node");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toBe("rosetta-bench: --framework: 'onnxruntime-node' does not run cnn-cifar10\n");
  });

  it("verifies that tfjs and onnxruntime-node compute the same ResNet-50 features, and names PyTorch when it cannot run", async () => {
    const run = await cli(await tempDir(), "verify", "--python", "/nonexistent/python3");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /\| resnet50-features \| features +\| onnxruntime-node \| tfjs +\| \S+ +\| \S+ +\| ✅ same model \|/,
    );
    // PyTorch is in verify's default selection; without an interpreter it is unavailable, with what to do.
    expect(run.stderr).toMatch(/resnet50-features on pytorch: unavailable: could not start '\/nonexistent\/python3'/);
    expect(run.stdout).toContain("cnn-cifar10: not compared: 1 framework(s) ran it here (tfjs); it needs two");
  });

  it.skipIf(!TORCH_PYTHON)("verifies all three workloads across tfjs, onnxruntime-node and PyTorch", async () => {
    const run = await cli(await tempDir(), "verify", "--python", TORCH_PYTHON!);
    expect(run.code).toBe(0);
    for (const [workload, check, a, b] of [
      ["resnet50-features", "features", "onnxruntime-node", "tfjs"],
      ["resnet50-features", "features", "onnxruntime-node", "pytorch"],
      ["resnet50-features", "features", "tfjs", "pytorch"],
      ["cnn-cifar10", "first step", "tfjs", "pytorch"],
      ["rnn-imdb", "first step", "tfjs", "pytorch"],
    ])
      expect(run.stdout).toMatch(
        new RegExp(`\\| ${workload} +\\| ${check} +\\| ${a} +\\| ${b} +\\| \\S+ +\\| \\S+ +\\| ✅ same model \\|`),
      );
  });

  it("data fetch: rejects an unknown dataset, and an offline fetch of files that are not there, in one line", async () => {
    const dir = await tempDir();
    const unknown = await cli(dir, "data", "fetch", "--datasets", "cifar10,mnist");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("rosetta-bench: --datasets: 'mnist' is not accepted; accepted: cifar10, imdb\n");

    const offline = await cli(dir, "data", "fetch", "--offline", "--data-dir", "data");
    expect(offline.code).toBe(1);
    expect(offline.stderr).toBe(
      `rosetta-bench: offline: '${join(dir, "data", "cifar-10-binary.tar.gz")}' does not exist; accepted: a copy of cifar-10-binary.tar.gz ` +
        "(SHA-256 c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd) in that folder, " +
        "for example fetched with 'rosetta-bench data fetch --data-dir DIR' on a machine with network\n",
    );
  });

  it("data fetch: downloads from a mirror, shows progress, and refuses a file that is not the pinned one", async () => {
    const npz = await fixture("imdb.npz");
    const server = await startLoopbackServer({ "/ml/imdb.npz": npz });
    try {
      const dir = await tempDir();
      const run = await cli(
        dir,
        "data",
        "fetch",
        "--datasets",
        "imdb",
        "--data-dir",
        "data",
        "--data-mirror",
        `${server.url}/ml`,
      );
      expect(run.code).toBe(1);
      expect(server.requests).toEqual(["/ml/imdb.npz"]);
      const sha = createHash("sha256").update(npz).digest("hex");
      const lines = run.stderr.trimEnd().split("\n");
      expect(lines[0]).toBe(`Downloading IMDB reviews (Keras imdb.npz) from ${server.url}/ml/imdb.npz`);
      expect(lines).toContain(`imdb.npz: 0% (0.0 MiB of 0.0 MiB)`);
      expect(lines.at(-1)).toBe(
        `rosetta-bench: imdb.npz downloaded from ${server.url}/ml/imdb.npz does not match its pinned SHA-256: ` +
          `expected 69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f, got ${sha} (${npz.length} bytes); the file was not kept`,
      );
      expect(await readdir(join(dir, "data"))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe("rosetta-bench baseline refresh (node dist/cli.js)", () => {
  it("commits merged results straight to origin's default branch with --push direct", async () => {
    const dir = await tempDir();
    const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
    git(dir, "init", "-q", "--bare", "-b", "main", "origin.git");
    git(dir, "clone", "-q", "origin.git", "seed");
    await writeFile(join(dir, "seed", "README.md"), "# repo\n");
    git(join(dir, "seed"), "add", ".");
    git(join(dir, "seed"), "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "init");
    git(join(dir, "seed"), "push", "-q", "origin", "main");
    git(dir, "clone", "-q", "origin.git", "work");
    await writeFile(join(dir, "r.json"), JSON.stringify(results([okCase("tfjs", 2)], describeEnvironment([]))));

    const run = await cli(
      join(dir, "work"),
      "baseline",
      "refresh",
      "--results-files",
      "../r.json",
      "--tag",
      "v2.0.0",
      "--push",
      "direct",
    );
    expect(run.stderr).toContain("Pushed");
    expect(run.code).toBe(0);
    expect(git(join(dir, "origin.git"), "log", "-1", "--format=%s", "main")).toBe(
      "Refresh the rosetta-bench baseline for v2.0.0",
    );
    const baseline = JSON.parse(git(join(dir, "origin.git"), "show", "main:.rosetta-bench/baseline.json")) as {
      entries: unknown[];
    };
    expect(baseline.entries).toHaveLength(1);
  });

  it("names the flag when the push mode is unknown", async () => {
    const run = await cli(
      await tempDir(),
      "baseline",
      "refresh",
      "--tag",
      "v1",
      "--base-branch",
      "main",
      "--push",
      "force",
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("rosetta-bench: --push: 'force' is not accepted; accepted: pull-request, direct\n");
  });
});
