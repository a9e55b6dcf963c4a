/**
 * The baseline's history from a real git repository in a temporary folder:
 * several commits of the baseline (a tagged one, a refresh commit naming its
 * release, a plain one), commits that leave it alone, and a run compared with
 * the newest version shows each judged case's trend across them.
 */
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readBaselineHistory, TREND_MAX_VERSIONS } from "../../src/store/baseline-history.js";
import { mergeIntoBaseline } from "../../src/store/baseline-file.js";
import { compareWithBaseline } from "../../src/judge/compare.js";
import { withTrends } from "../../src/judge/trend.js";
import { renderComparison } from "../../src/report/markdown.js";
import type { Baseline } from "../../src/core/baseline-schema.js";
import { COMPARE_DEFAULTS, okCase, results, tempDir } from "../helpers.js";

const BASELINE = ".rosetta-bench/baseline.json";

/** A repository whose baseline went through releases at these ONNX speeds (images/s), tfjs steady. */
async function repository(speeds: number[]): Promise<{ dir: string; git: (...args: string[]) => string }> {
  const dir = await tempDir();
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@e", ...args], { encoding: "utf8" });
  execFileSync("git", ["init", "-q", "-b", "main", dir]);
  await mkdir(join(dir, ".rosetta-bench"));
  let baseline: Baseline | undefined;
  for (const [i, speed] of speeds.entries()) {
    const run = results([okCase("onnxruntime-node", speed), okCase("tfjs", 2)]);
    // Each release's entries are newer than the last (baseline update keeps the newest).
    run.createdAt = new Date(Date.UTC(2026, 0, 1 + i)).toISOString();
    // tfjs is measured once, at the first release, and carried on unchanged.
    baseline = mergeIntoBaseline(baseline, i === 0 ? run : { ...run, cases: run.cases.slice(0, 1) });
    await writeFile(join(dir, BASELINE), JSON.stringify(baseline, null, 2));
    await writeFile(join(dir, "model.py"), `# release ${i}\n`);
    git("add", "-A");
    const when = `2026-01-0${1 + i}T12:00:00Z`;
    const message = i === 1 ? "Refresh the rosetta-bench baseline for v1.1" : `Release work ${i}`;
    execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", message], {
      env: { ...process.env, GIT_COMMITTER_DATE: when, GIT_AUTHOR_DATE: when },
    });
    if (i === 0) git("tag", "v1.0");
    // A commit that leaves the baseline alone is not a version.
    await writeFile(join(dir, "README"), `${i}\n`);
    git("add", "-A");
    git("commit", "-q", "-m", `docs ${i}`);
  }
  return { dir, git };
}

describe("the baseline's history", () => {
  it("reads the versions of the baseline file only, oldest first, labelled by tag, release named, or date", async () => {
    const { dir } = await repository([20, 19.6, 19, 18]);
    const history = await readBaselineHistory(join(dir, BASELINE), 10);
    expect(history.versions.map((v) => v.label)).toEqual(["v1.0", "v1.1", "2026-01-03", "2026-01-04"]);
    expect(history.versions.map((v) => v.baseline.entries.length)).toEqual([2, 2, 2, 2]);
    // From a subfolder, through a relative path, the same.
    const nested = await readBaselineHistory(join(dir, ".rosetta-bench", "..", BASELINE), 2);
    expect(nested.versions.map((v) => v.label)).toEqual(["2026-01-03", "2026-01-04"]);
  });

  it("shows each judged case's trend in the report: its figure at each version where it moved, then this run", async () => {
    const { dir } = await repository([20, 19.6, 19, 18]);
    const history = await readBaselineHistory(join(dir, BASELINE), 10);
    const newest = history.versions.at(-1)?.baseline;
    const comparison = withTrends(
      compareWithBaseline(results([okCase("onnxruntime-node", 14), okCase("tfjs", 2)]), newest, COMPARE_DEFAULTS),
      history.versions,
    );
    const onnx = comparison.cases.find((c) => c.framework === "onnxruntime-node");
    expect(onnx?.trend?.map((p) => p.label)).toEqual(["v1.0", "v1.1", "2026-01-03", "2026-01-04", "this run"]);
    expect(onnx?.trend?.map((p) => Number((4 / p.value).toFixed(1)))).toEqual([20, 19.6, 19, 18, 14]);
    // tfjs never moved in the baseline: one past point, the table's own baseline, so no trend.
    expect(comparison.cases.find((c) => c.framework === "tfjs")?.trend).toBeUndefined();
    const md = renderComparison(comparison, { profile: "smoke", baselinePath: BASELINE });
    expect(md).toContain(
      "**Trend** of each judged case's median time (s) across the baseline's versions in git, oldest first, then this run:",
    );
    expect(md).toMatch(
      /^- onnxruntime-node \(cpu\) [▁▂▃▄▅▆▇█]{5} 0\.2001 \(v1\.0\) → 0\.2042 \(v1\.1\) → 0\.2106 \(2026-01-03\) → 0\.2223 \(2026-01-04\) → 0\.2859 \(this run, \+28\.6% on 2026-01-04\)$/m,
    );
  });

  it("reads at most 20 versions, and none with trend 0", async () => {
    const { dir } = await repository([20, 19]);
    expect((await readBaselineHistory(join(dir, BASELINE), 0)).versions).toEqual([]);
    expect(TREND_MAX_VERSIONS).toBe(20);
    expect((await readBaselineHistory(join(dir, BASELINE), 500)).versions).toHaveLength(2);
  });

  it("gives no history and a reason outside a repository, and says what to do in a shallow clone", async () => {
    const plain = await tempDir();
    await mkdir(join(plain, ".rosetta-bench"));
    await writeFile(join(plain, BASELINE), "{}");
    expect(await readBaselineHistory(join(plain, BASELINE), 10)).toEqual({
      versions: [],
      reason: `'${join(plain, BASELINE)}' is not in a git repository`,
    });
    const { dir } = await repository([20, 19, 18]);
    const shallow = await tempDir();
    execFileSync("git", ["clone", "-q", "--depth", "1", `file://${dir}`, shallow]);
    const history = await readBaselineHistory(join(shallow, BASELINE), 10);
    expect(history.versions.map((v) => v.label)).toHaveLength(1);
    expect(history.note).toBe("a shallow clone: check out with fetch-depth: 0 for the baseline's history");
  });
});
