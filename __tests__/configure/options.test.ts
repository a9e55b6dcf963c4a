import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  actionInputOverrides,
  defaultInputs,
  INPUT_NAMES,
  parseConfig,
  type InputName,
} from "../../src/configure/config.js";
import { format } from "prettier";
import {
  ACTION_INPUTS,
  COMMANDS,
  GENERATED_BLOCKS,
  OPTIONS,
  optionsOf,
  spliceGenerated,
} from "../../src/configure/options.js";
import { ACTION_INPUT_NAMES } from "../../src/action/inputs.js";
import { REFRESH_INPUT_NAMES } from "../../src/refresh/session.js";

const ROOT = join(import.meta.dirname, "..", "..");

/** action.yml's inputs as GitHub reads them: name → { description, default }. */
function actionYmlInputs(): Map<string, { description?: string; default?: string }> {
  const yml = readFileSync(join(ROOT, "action.yml"), "utf8");
  const block = /^inputs:\n([\s\S]*?)^\S/m.exec(yml)?.[1] ?? "";
  const inputs = new Map<string, { description?: string; default?: string }>();
  let current: { description?: string; default?: string } | undefined;
  for (const line of block.split("\n")) {
    const name = /^ {2}([a-z-]+):$/.exec(line)?.[1];
    if (name) inputs.set(name, (current = {}));
    const field = /^ {4}(description|default): (.*)$/.exec(line);
    if (field && current) {
      const raw = field[2]!;
      current[field[1] as "description" | "default"] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    }
  }
  return inputs;
}

describe("the options table", () => {
  it("is what action.yml declares: names, descriptions and defaults", () => {
    const declared = actionYmlInputs();
    expect([...declared.keys()]).toEqual(ACTION_INPUTS.map((o) => o.name));
    for (const o of ACTION_INPUTS) {
      const d = declared.get(o.name)!;
      expect(d.description, o.name).toBe(o.description);
      const expected = o.actionDefault ?? o.default;
      expect(d.default, o.name).toBe(expected === "" ? undefined : expected);
    }
  });

  it("holds every input the action reads, and every input it holds is read", () => {
    expect(new Set(ACTION_INPUTS.map((o) => o.name))).toEqual(
      new Set([...INPUT_NAMES, ...ACTION_INPUT_NAMES, ...REFRESH_INPUT_NAMES]),
    );
  });

  it("gives the action and the CLI the same defaults, except where the table says they differ", () => {
    const declared = actionYmlInputs();
    const label = (n: InputName) => n;
    // GitHub hands the action its declared default for every input the workflow leaves out.
    const fromAction = parseConfig((n) => declared.get(n)?.default, label, {
      ...defaultInputs(),
      ...actionInputOverrides(),
    });
    const fromCli = parseConfig(() => undefined, label);
    expect(fromAction.workloads).toEqual(["cnn-cifar10", "rnn-imdb", "resnet50-features"]);
    expect(fromAction.workloads).toEqual(fromCli.workloads);
    expect(fromAction.frameworks).toEqual(fromCli.frameworks);
    expect(fromAction.profile).toBe(fromCli.profile);
    expect(fromAction.device).toBe(fromCli.device);
    expect(fromAction.threshold).toBe(fromCli.threshold);
    expect(fromAction.baselinePath).toBe(fromCli.baselinePath);
    expect(fromAction.failOnRegression).toBe(true);
    expect(fromCli.failOnRegression).toBe(false);
    expect(fromAction.confirmRegressions).toBe(true);
  });

  it("parses every documented default with the reader of its input", () => {
    for (const name of INPUT_NAMES) {
      const o = OPTIONS.find((x) => x.name === name)!;
      for (const value of [o.default, o.actionDefault]) {
        if (value === undefined || value === "") continue;
        expect(
          () =>
            parseConfig(
              (n) => (n === name ? value : undefined),
              (n) => n,
            ),
          `${name}=${value}`,
        ).not.toThrow();
      }
    }
  });

  it("gives every CLI command a flag list and every flag a command", () => {
    for (const o of OPTIONS) {
      if (o.flag !== false) expect(o.commands.length, o.name).toBeGreaterThan(0);
    }
    for (const c of COMMANDS) expect(optionsOf(c).length, c).toBeGreaterThan(0);
  });

  /** The file as npm run build writes it, from its committed text. */
  async function regenerated(file: "README.md" | "action.yml", text: string): Promise<string> {
    const prettierOptions = JSON.parse(readFileSync(join(ROOT, ".prettierrc.json"), "utf8")) as object;
    const parser = file === "README.md" ? "markdown" : "yaml";
    return format(spliceGenerated(file, text), { ...prettierOptions, parser, filepath: file });
  }

  it("is what the README's flag and input tables and action.yml's inputs say, as npm run build writes them", async () => {
    for (const file of ["README.md", "action.yml"] as const) {
      const committed = readFileSync(join(ROOT, file), "utf8");
      // A drifted default, description or flag shows here as a diff of the file.
      expect(committed, `${file} differs from src/configure/options.ts: run npm run build`).toBe(
        await regenerated(file, committed),
      );
    }
    expect(GENERATED_BLOCKS.filter((b) => b.file === "README.md")).toHaveLength(2);
  });

  it("catches a default edited by hand in the README or action.yml", async () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const editedReadme = readme.replace(/(\| `--threshold PCT` +\| )`5%`/, "$1`9%`");
    expect(editedReadme).not.toBe(readme);
    expect(await regenerated("README.md", editedReadme)).not.toBe(editedReadme);
    const yml = readFileSync(join(ROOT, "action.yml"), "utf8");
    const editedYml = yml.replace('default: "cnn-cifar10,rnn-imdb,resnet50-features"', 'default: "resnet50-features"');
    expect(editedYml).not.toBe(yml);
    expect(await regenerated("action.yml", editedYml)).toBe(yml);
  });
});
