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
