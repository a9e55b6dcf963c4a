import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeIntoBaseline, readBaseline, writeBaseline } from "../../src/store/baseline-file.js";
import { ENVIRONMENT, okCase, results, tempDir } from "../helpers.js";

describe("baseline file", () => {
  it("round-trips through an atomic write and leaves no temp file behind", async () => {
    const dir = await tempDir();
    const path = join(dir, "nested", "baseline.json");
    const baseline = mergeIntoBaseline(undefined, results([okCase("tfjs", 2)]), "abc123");
    await writeBaseline(path, baseline);
    expect(await readBaseline(path)).toEqual(baseline);
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(join(dir, "nested"))).toEqual(["baseline.json"]);
  });

  it("is undefined when absent", async () => {
    expect(await readBaseline(join(await tempDir(), "none.json"))).toBeUndefined();
  });

  it.each([
    ["{ not json", /^baseline file '.*' is not valid JSON: /],
    [
      JSON.stringify({ schemaVersion: 9, entries: [] }),
      /has schemaVersion 9; this rosetta-bench reads schemaVersion 1$/,
    ],
    [JSON.stringify({ entries: [] }), /has schemaVersion undefined; this rosetta-bench reads schemaVersion 1$/],
    [
      JSON.stringify({ schemaVersion: 1, entries: [{ testbed: {} }] }),
      /is not a valid baseline file at entries\.0\.testbed\.os: .* \(and \d+ more problems\)$/,
    ],
  ])("rejects %j with one line naming the file", async (content, message) => {
    const path = join(await tempDir(), "baseline.json");
    await writeFile(path, content);
    const error = await readBaseline(path).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).not.toContain("\n");
  });
});

describe("mergeIntoBaseline", () => {
  it("replaces only the matching testbed and case, keeps the rest in place, ignores failed cases", async () => {
    const elsewhere = {
      ...ENVIRONMENT,
      cpu: { model: "GPU box CPU", cores: 32 },
      gpus: [{ name: "H100", driver: "580" }],
    };
    const first = mergeIntoBaseline(undefined, results([okCase("tfjs", 2), okCase("onnxruntime-node", 20)]));
    const withOther = mergeIntoBaseline(first, results([okCase("onnxruntime-node", 900)], elsewhere));
    const before = JSON.stringify(withOther.entries[2]);

    const next = mergeIntoBaseline(
      withOther,
      results([okCase("onnxruntime-node", 25), { ...okCase("tfjs", 1), status: "failed", metrics: {}, samples: {} }]),
    );
    expect(next.entries).toHaveLength(3);
    expect(next.entries[0]?.metrics.images_per_s).toBe(2); // failed run did not overwrite
    expect(next.entries[1]?.metrics.images_per_s).toBe(25); // replaced in place
    expect(JSON.stringify(next.entries[2])).toBe(before); // other testbed untouched
    const path = join(await tempDir(), "b.json");
    await writeBaseline(path, next);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual(next);
  });
});

describe("baseline and results integrity", () => {
  const good = () => mergeIntoBaseline(undefined, results([okCase("tfjs", 2)]), "abc123");
  const write = async (value: unknown, prefix = "") => {
    const path = join(await tempDir(), "baseline.json");
    await writeFile(path, prefix + JSON.stringify(value));
    return path;
  };
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => "read without error",
      (e: unknown) => (e as Error).message,
    );

  it("reads a file that starts with a UTF-8 byte-order mark", async () => {
    expect(await readBaseline(await write(good(), "\uFEFF"))).toEqual(good());
  });

  it("refuses two entries for one testbed and case, naming both", async () => {
    const b = good();
    b.entries.push(structuredClone(b.entries[0]!));
    expect(await failure(readBaseline(await write(b)))).toMatch(
      /is not a valid baseline file at entries\.1: entries 0 and 1 are both linux\/x64 .* · resnet50-features\/tfjs\/cpu\/smoke: keep one$/,
    );
  });

  it.each([
    ["batch_s_median", 0, "must be above 0 (found 0)"],
    ["batch_s_median", -0.4, "must be above 0 (found -0.4)"],
    ["images_per_s", 1e308, "must be at most 1000000000 (found 1e+308)"],
    ["test_accuracy", 140, "must be a percentage from 0 to 100 (found 140)"],
  ])("refuses a baseline whose %s is %d, which would stop the gate judging", async (metric, value, problem) => {
    const b = good();
    b.entries[0]!.metrics[metric] = value;
    expect(await failure(readBaseline(await write(b)))).toContain(`at entries.0.metrics.${metric}: ${problem}`);
  });

  it("refuses a zero sample", async () => {
    const b = good();
    b.entries[0]!.samples.batch_s![2] = 0;
    expect(await failure(readBaseline(await write(b)))).toContain("at entries.0.samples.batch_s.2: must be above 0");
  });

  it("refuses a results case whose id disagrees with its fields, and a case listed twice", async () => {
    const dir = await tempDir();
    const { readResults } = await import("../../src/store/results-file.js");
    const mislabelled = results([{ ...okCase("tfjs", 2), id: "resnet50-features/onnxruntime-node/cpu/smoke" }]);
    await writeFile(join(dir, "a.json"), JSON.stringify(mislabelled));
    expect(await failure(readResults(join(dir, "a.json")))).toContain(
      "at cases.0.id: 'resnet50-features/onnxruntime-node/cpu/smoke' does not match the case's own fields ('resnet50-features/tfjs/cpu/smoke')",
    );
    await writeFile(join(dir, "b.json"), JSON.stringify(results([okCase("tfjs", 2), okCase("tfjs", 3)])));
    expect(await failure(readResults(join(dir, "b.json")))).toContain(
      "at cases.1.id: 'resnet50-features/tfjs/cpu/smoke' is also case 0: each case may appear once",
    );
  });
});

describe("atomic writes after a kill -9", () => {
  it("remove the temp files a dead process left, and keep a live writer's", async () => {
    const { spawnSync } = await import("node:child_process");
    const { readdir } = await import("node:fs/promises");
    const dir = await tempDir();
    const path = join(dir, "baseline.json");
    // A pid that existed and is gone: a finished child's.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    await writeFile(join(dir, `baseline.json.${dead}.deadbeef.tmp`), "x".repeat(1024));
    await writeFile(join(dir, `baseline.json.${process.ppid}.cafef00d.tmp`), "still being written");
    await writeFile(join(dir, "notes.json.1.deadbeef.tmp"), "another file's");
    await writeBaseline(path, mergeIntoBaseline(undefined, results([okCase("tfjs", 2)])));
    expect((await readdir(dir)).sort()).toEqual(
      ["baseline.json", `baseline.json.${process.ppid}.cafef00d.tmp`, "notes.json.1.deadbeef.tmp"].sort(),
    );
  });
});
