/**
 * The source tree reads as the pipeline: every file of src/ sits in a known
 * stage, and no stage imports from a stage that comes after it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

/** Bottom to top; a file may import from its own stage or any stage before it. */
const STAGES = [
  "core",
  "store",
  "data",
  "configure",
  "plan",
  "prepare",
  "run",
  "judge",
  "report",
  "github",
  "refresh",
  "pipeline.ts",
  "front", // action/, cli/, main.ts, index.ts, cli.ts
] as const;

const FRONT = new Set(["action", "cli", "main.ts", "index.ts", "cli.ts"]);

function stageOf(file: string): number {
  const top = relative(SRC, file).split(/[\\/]/)[0] ?? "";
  const index = FRONT.has(top) ? STAGES.indexOf("front") : (STAGES as readonly string[]).indexOf(top);
  return index;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function upwardImports(files: readonly string[], read = (file: string) => readFileSync(file, "utf8")): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const from = stageOf(file);
    const text = read(file);
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = resolve(dirname(file), match[1] ?? "");
      if (!target.startsWith(SRC)) continue; // workloads/ and the like sit outside the stages
      const to = stageOf(target.replace(/\.js$/, ".ts"));
      if (to > from)
        problems.push(`${relative(SRC, file)} imports ${match[1]} (${STAGES[to]} is after ${STAGES[from]})`);
    }
  }
  return problems;
}

describe("src/ layers", () => {
  const files = sources(SRC);

  it("puts every source file in a known stage", () => {
    const strays = files.filter((f) => stageOf(f) < 0).map((f) => relative(SRC, f));
    expect(strays).toEqual([]);
  });

  it("has no stage importing from a later stage", () => {
    expect(upwardImports(files)).toEqual([]);
  });

  it("catches an upward import when there is one", () => {
    const fake = join(SRC, "core", "fake.ts");
    const problems = upwardImports([fake], () => 'import { compareWithBaseline } from "../judge/compare.js";');
    expect(problems).toEqual(["core/fake.ts imports ../judge/compare.js (judge is after core)"]);
  });
});
