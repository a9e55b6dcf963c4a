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
import { ACTION_INPUTS, COMMANDS, OPTIONS, optionsOf } from "../../src/configure/options.js";
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
});
