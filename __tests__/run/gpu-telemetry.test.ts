import { describe, expect, it } from "vitest";
import { parseSample, summarise, telemetryFlags } from "../../src/run/gpu-telemetry.js";

// Lines as `nvidia-smi --query-gpu=index,utilization.gpu,clocks.sm,clocks.mem,temperature.gpu,power.draw,
// clocks_throttle_reasons.active,memory.used --format=csv,noheader,nounits -lms 200` prints them
// (written from the documented format; see fixtures/nvidia-smi/README.md).
const HEALTHY = [
  "0, 97, 1980, 2619, 61, 612.4, 0x0000000000000000, 4121",
  "0, 99, 1980, 2619, 63, 640.1, 0x0000000000000000, 4121",
];
const THROTTLED = [
  "1, 12, 1005, 1215, 91, 301.7, 0x0000000000000020, 3870",
  "1, 20, 1410, 1215, 88, 650.0, 0x0000000000000004, 3870",
];

describe("GPU telemetry", () => {
  it("parses nvidia-smi's loop lines, and skips what is not a sample", () => {
    expect(parseSample(HEALTHY[0]!)).toEqual({
      index: 0,
      utilization: 97,
      smClockMHz: 1980,
      memClockMHz: 2619,
      temperatureC: 61,
      powerW: 612.4,
      throttle: 0,
      memoryUsedMiB: 4121,
    });
    expect(parseSample("index, utilization.gpu [%], clocks.sm [MHz]")).toBeUndefined();
    expect(parseSample("")).toBeUndefined();
    expect(parseSample("0, [N/A], [N/A], [N/A], [N/A], [N/A], [N/A], [N/A]")?.utilization).toBeNaN();
  });

  it("summarises a healthy case with no flag", () => {
    const t = summarise(
      HEALTHY.map((l) => parseSample(l)!),
      [],
    )!;
    expect(t).toEqual({
      samples: 2,
      utilizationMean: 98,
      smClockMinMHz: 1980,
      smClockMaxMHz: 1980,
      temperatureMaxC: 63,
      powerMaxW: 640.1,
      memoryUsedMaxMiB: 4121,
      throttled: [],
      otherProcesses: [],
    });
    expect(telemetryFlags(t)).toEqual([]);
  });

  it("flags throttling, another process and an idle GPU", () => {
    const t = summarise(
      THROTTLED.map((l) => parseSample(l)!),
      ["python3 (4242)"],
    )!;
    expect(t.throttled).toEqual(["power cap", "thermal (software)"]);
    expect(telemetryFlags(t)).toEqual([
      "throttled (power cap, thermal (software))",
      "another process on the GPU (python3 (4242))",
      "GPU mostly idle (16% mean utilisation)",
    ]);
    expect(summarise([], [])).toBeUndefined();
  });
});
