import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandResultsPaths } from "../../src/store/results-paths.js";
import { tempDir } from "../helpers.js";

/** A matrix's downloaded artifacts: one folder per job, each with its results and report. */
async function artifacts(): Promise<string> {
  const dir = await tempDir();
  for (const job of ["results-gpu-a100", "results-gpu-h100", "results-cpu"]) {
    await mkdir(join(dir, "artifacts", job), { recursive: true });
    await writeFile(join(dir, "artifacts", job, "results.json"), "{}");
    await writeFile(join(dir, "artifacts", job, "results.md"), "");
    await writeFile(join(dir, "artifacts", job, "pull-request.json"), "{}");
  }
  await writeFile(join(dir, "artifacts", "notes.txt"), "");
  await mkdir(join(dir, "odd[1]"));
  await writeFile(join(dir, "odd[1]", "r.json"), "{}");
  return dir;
}

describe("results files named by path, folder or glob", () => {
  it("takes every .json under a folder, at any depth, in order", async () => {
    const dir = await artifacts();
    expect(await expandResultsPaths([join(dir, "artifacts")], "results", ["pull-request.json"])).toEqual([
      join(dir, "artifacts/results-cpu/results.json"),
      join(dir, "artifacts/results-gpu-a100/results.json"),
      join(dir, "artifacts/results-gpu-h100/results.json"),
    ]);
  });

  it("matches *, ?, [..] within a segment and ** across folders, each file once", async () => {
    const dir = await artifacts();
    const a = join(dir, "artifacts/results-gpu-a100/results.json");
    const h = join(dir, "artifacts/results-gpu-h100/results.json");
    const c = join(dir, "artifacts/results-cpu/results.json");
    expect(await expandResultsPaths([join(dir, "artifacts/results-gpu-*/results.json")])).toEqual([a, h]);
    expect(await expandResultsPaths([join(dir, "artifacts/**/*.json")], "results", ["pull-request.json"])).toEqual([
      c,
      a,
      h,
    ]);
    expect(await expandResultsPaths([join(dir, "artifacts/**/*.json")])).toHaveLength(6);
    expect(
      await expandResultsPaths([join(dir, "artifacts/results-gpu-?100/r*.json"), join(dir, "**/r*.json")]),
    ).toEqual([a, h, c, join(dir, "odd[1]/r.json")]);
    expect(await expandResultsPaths([join(dir, "artifacts/results-gpu-[!a]*")], "r", ["pull-request.json"])).toEqual([
      h,
    ]);
    // A name that looks like a glob but exists is taken as it is.
    expect(await expandResultsPaths([join(dir, "odd[1]/r.json")])).toEqual([join(dir, "odd[1]/r.json")]);
  });

  it("names the pattern or folder that gives no file, and passes a plain path on to be read", async () => {
    const dir = await artifacts();
    await expect(expandResultsPaths([join(dir, "artifacts/*.jsn")], "input 'results-files'")).rejects.toThrow(
      `input 'results-files': '${join(dir, "artifacts/*.jsn")}' matches no file`,
    );
    await mkdir(join(dir, "empty"));
    await expect(expandResultsPaths([join(dir, "empty")], "--results")).rejects.toThrow(
      `--results: folder '${join(dir, "empty")}' holds no .json file`,
    );
    expect(await expandResultsPaths(["missing.json"])).toEqual(["missing.json"]);
  });
});
