import { writeFile } from "node:fs/promises";
import os from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkWritable, defaultInputs, parseConfig, type InputName } from "../../src/configure/config.js";
import { readBoolean, readPercent } from "../../src/configure/readers.js";
import { defaultDataDir } from "../../src/data/data-dir.js";
import { tempDir } from "../helpers.js";

const label = (n: InputName) => `input '${n}'`;
const parse = (inputs: Partial<Record<InputName, string>>) => parseConfig((n) => inputs[n], label);

describe("parseConfig", () => {
  it("applies defaults that run on a fresh CPU machine", () => {
    const config = parse({});
    expect(config).toMatchObject({
      frameworks: ["onnxruntime-node", "tfjs"],
      workloads: ["cnn-cifar10", "rnn-imdb", "resnet50-features"],
      profile: "smoke",
      device: "auto",
      baselinePath: ".rosetta-bench/baseline.json",
      resultsPath: "rosetta-bench-results.json",
      reportPath: "rosetta-bench-results.md",
      threshold: 0.05,
      failOnRegression: false,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads lists separated by commas, spaces or newlines, without duplicates", () => {
    expect(parse({ frameworks: "tfjs,\n onnxruntime-node tfjs" }).frameworks).toEqual(["tfjs", "onnxruntime-node"]);
  });

  it("names the input, quotes the value and lists what is accepted for an unknown framework", () => {
    expect(() => parse({ frameworks: "tfjs, mxnet" })).toThrow(
      "input 'frameworks': 'mxnet' is not accepted; accepted: tfjs, tfjs-node, tfjs-node-gpu, onnxruntime-node, pytorch",
    );
  });

  it("rejects a report path equal to the results path", () => {
    expect(() => parse({ "results-path": "out.json", "report-path": "out.json" })).toThrow(
      "input 'report-path': 'out.json' is also the results path; choose another file",
    );
  });

  it("reads per-workload thresholds and the accuracy tolerance", () => {
    const config = parse({ "workload-thresholds": "resnet50-features=3%", "accuracy-tolerance": "0.5" });
    expect(config.workloadThresholds).toEqual({ "resnet50-features": 0.03 });
    expect(config.accuracyTolerance).toBe(0.5);
    expect(() => parse({ "workload-thresholds": "resnet=3%" })).toThrow(
      "input 'workload-thresholds': 'resnet' is not accepted; accepted: cnn-cifar10, rnn-imdb, resnet50-features",
    );
    expect(() => parse({ "workload-thresholds": "resnet50-features" })).toThrow(
      "input 'workload-thresholds': 'resnet50-features' is not accepted; accepted: workload=percentage pairs such as cnn-cifar10=3%",
    );
    expect(() => parse({ "accuracy-tolerance": "-1" })).toThrow(
      "input 'accuracy-tolerance': '-1' is not accepted; accepted: a number from 0 to 100",
    );
  });

  it("caches datasets in the user's cache folder, online, unless told otherwise", () => {
    const config = parse({});
    expect(config.dataDir).toBe(resolve(defaultDataDir()));
    expect(config.offline).toBe(false);
    expect(config.dataMirror).toBeUndefined();
    expect(parse({ "data-dir": "data" }).dataDir).toBe(resolve("data"));
    expect(parse({ "data-dir": "~/datasets" }).dataDir).toBe(join(os.homedir(), "datasets"));
    expect(parse({ "data-mirror": "https://mirror.example.com/ml/", offline: "false" }).dataMirror).toBe(
      "https://mirror.example.com/ml",
    );
  });

  it.each(["mirror.example.com", "ftp://mirror.example.com", "https://m.example.com/?sig=1"])(
    "rejects the mirror %j, saying what is accepted",
    (mirror) => {
      expect(() => parse({ "data-mirror": mirror })).toThrow(
        `input 'data-mirror': '${mirror}' is not accepted; accepted: an http:// or https:// base URL serving the dataset files, such as https://mirror.example.com/datasets`,
      );
    },
  );

  it("rejects a mirror together with offline, which makes no request", () => {
    expect(() => parse({ "data-mirror": "https://m.example.com", offline: "true" })).toThrow(
      "input 'data-mirror': 'https://m.example.com' is set with input 'offline', which makes no request; set one of them",
    );
    expect(() => parse({ offline: "yes" })).toThrow("input 'offline': 'yes' is not a boolean; accepted: true, false");
  });

  it("uses the caller's defaults, as the action does", () => {
    const defaults = { ...defaultInputs(), "fail-on-regression": "true" };
    expect(parseConfig(() => undefined, label, defaults).failOnRegression).toBe(true);
  });
});

describe("readers", () => {
  it("reads a percentage with or without the sign", () => {
    expect(readPercent("t", "5%")).toBeCloseTo(0.05);
    expect(readPercent("t", " 2.5 ")).toBeCloseTo(0.025);
  });

  it.each(["0", "-5%", "five", "5%%", "1000"])("rejects the percentage %j", (raw) => {
    expect(() => readPercent("input 'threshold'", raw)).toThrow(
      `input 'threshold': '${raw}' is not a percentage; accepted: a number above 0 and below 1000, with or without '%', such as 5%`,
    );
  });

  it("reads booleans strictly", () => {
    expect(readBoolean("b", "True")).toBe(true);
    expect(readBoolean("b", "false")).toBe(false);
    expect(() => readBoolean("input 'fail-on-regression'", "yes")).toThrow(
      "input 'fail-on-regression': 'yes' is not a boolean; accepted: true, false",
    );
  });
});

describe("output paths", () => {
  const parseWith = (values: Partial<Record<InputName, string>>) =>
    parseConfig(
      (n) => values[n],
      (n) => `--${n}`,
    );

  it("refuses an output that is the baseline or the results file, however the path is spelled", () => {
    expect(() => parseWith({ "report-path": "./.rosetta-bench/baseline.json" })).toThrow(
      "--report-path: './.rosetta-bench/baseline.json' is the baseline file ('.rosetta-bench/baseline.json'); writing there would overwrite the baseline; choose another file",
    );
    expect(() => parseWith({ "results-path": "b.json", "baseline-path": "./b.json" })).toThrow(
      "--results-path: 'b.json' is the baseline file ('./b.json')",
    );
    expect(() => parseWith({ "results-path": "x.json", "report-path": "./x.json" })).toThrow(
      "--report-path: './x.json' is also the results path; choose another file",
    );
  });

  it("writes the report of a results file read from a device next to the working folder, not into /dev", () => {
    expect(parseWith({ "results-path": "/dev/stdin" }).reportPath).toBe("rosetta-bench-results.md");
  });

  it("says which output cannot be written before anything runs", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "a-file"), "");
    await expect(checkWritable(join(dir, "a-file", "results.json"), "--results")).rejects.toThrow(
      `--results: '${join(dir, "a-file", "results.json")}' cannot be written: '${join(dir, "a-file")}' is a file, not a folder`,
    );
    await expect(checkWritable(dir, "--report")).rejects.toThrow(
      `--report: '${dir}' cannot be written: it is a folder; name a file`,
    );
    await expect(checkWritable(join(dir, "new", "deep", "r.json"), "--results")).resolves.toBeUndefined();
  });
});
