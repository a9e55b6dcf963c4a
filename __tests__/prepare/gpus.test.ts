import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDevice } from "../../src/configure/config.js";
import { probeCudaVersion, probeNvidiaGpus } from "../../src/prepare/environment.js";
import { selectGpus } from "../../src/prepare/gpus.js";
import type { Gpu } from "../../src/core/results-schema.js";
import { ROOT } from "../process.js";

const H100: Gpu = { index: 0, uuid: "GPU-5d2a1c7e", name: "NVIDIA H100 80GB HBM3", driver: "580.159.04" };
const A100: Gpu = { index: 1, uuid: "GPU-a83f4d21", name: "NVIDIA A100-SXM4-40GB", driver: "580.159.04" };
const LISTED = [H100, A100];

describe("readDevice", () => {
  it("reads auto, cpu, gpu and gpu:N lists", () => {
    expect(readDevice("--device", "auto")).toEqual({ device: "auto" });
    expect(readDevice("--device", "gpu")).toEqual({ device: "gpu" });
    expect(readDevice("--device", "gpu:1")).toEqual({ device: "gpu", gpuIndices: [1] });
    expect(readDevice("--device", "gpu:0, 1,1")).toEqual({ device: "gpu", gpuIndices: [0, 1] });
  });

  it.each(["gpu:", "gpu:a", "gpu:-1", "gpu:0;1", "tpu"])("rejects %j, naming the flag and what is accepted", (raw) => {
    expect(() => readDevice("--device", raw)).toThrow(`--device: '${raw}' is not accepted; accepted: auto, cpu, gpu`);
  });
});

describe("selectGpus", () => {
  it("uses every listed GPU, changing nothing, when none is named", () => {
    expect(selectGpus(LISTED, undefined, undefined, "device")).toEqual({ gpus: LISTED, env: {} });
  });

  it("hands the workers the named GPUs by UUID, and makes them the testbed", () => {
    expect(selectGpus(LISTED, [1], undefined, "device")).toEqual({
      gpus: [A100],
      env: { CUDA_VISIBLE_DEVICES: "GPU-a83f4d21" },
    });
  });

  it("falls back to PCI bus order and indices when nvidia-smi gave no UUID", () => {
    const bare = LISTED.map(({ uuid: _, ...g }) => g);
    expect(selectGpus(bare, [1, 0], undefined, "device").env).toEqual({
      CUDA_VISIBLE_DEVICES: "1,0",
      CUDA_DEVICE_ORDER: "PCI_BUS_ID",
    });
  });

  it("respects the runner's CUDA_VISIBLE_DEVICES, by index or UUID", () => {
    expect(selectGpus(LISTED, undefined, "1", "device")).toEqual({ gpus: [A100], env: {} });
    expect(selectGpus(LISTED, undefined, "GPU-5d2a", "device")).toEqual({ gpus: [H100], env: {} });
    expect(selectGpus(LISTED, undefined, "", "device")).toEqual({ gpus: [], env: {} });
    expect(selectGpus(LISTED, undefined, "-1", "device")).toEqual({ gpus: [], env: {} });
    expect(selectGpus(LISTED, [1], "0,1", "device").gpus).toEqual([A100]);
  });

  it("refuses a GPU that is not there, or that the runner hides, naming what is", () => {
    expect(() => selectGpus(LISTED, [3], undefined, "--device")).toThrow(
      "--device: 'gpu:3' names GPU 3, which nvidia-smi does not list; it lists: 0 (NVIDIA H100 80GB HBM3), 1 (NVIDIA A100-SXM4-40GB)",
    );
    expect(() => selectGpus(LISTED, [1], "0", "--device")).toThrow(
      "--device: 'gpu:1' asks for GPU 1 (NVIDIA A100-SXM4-40GB), which this runner's CUDA_VISIBLE_DEVICES='0' does not make visible",
    );
  });
});

describe("probing nvidia-smi (a stand-in replaying fixtures/nvidia-smi/two-gpus)", () => {
  it("lists each GPU with its index, UUID, driver and memory, and the driver's CUDA version", async () => {
    const saved = { PATH: process.env.PATH, NVIDIA_SMI_FIXTURE: process.env.NVIDIA_SMI_FIXTURE };
    process.env.PATH = `${join(ROOT, "fixtures", "nvidia-smi")}:${process.env.PATH ?? ""}`;
    process.env.NVIDIA_SMI_FIXTURE = join(ROOT, "fixtures", "nvidia-smi", "two-gpus");
    try {
      expect(await probeNvidiaGpus()).toEqual([
        {
          index: 0,
          uuid: "GPU-5d2a1c7e-0b7f-4e3a-9a51-3f0c2b8d6e10",
          name: "NVIDIA H100 80GB HBM3",
          driver: "580.159.04",
          memoryMiB: 81559,
        },
        {
          index: 1,
          uuid: "GPU-a83f4d21-6c9e-4f0b-8d17-92e4b5c0f7a3",
          name: "NVIDIA A100-SXM4-40GB",
          driver: "580.159.04",
          memoryMiB: 40960,
        },
      ]);
      expect(await probeCudaVersion()).toBe("13.0");
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.NVIDIA_SMI_FIXTURE === undefined) delete process.env.NVIDIA_SMI_FIXTURE;
      else process.env.NVIDIA_SMI_FIXTURE = saved.NVIDIA_SMI_FIXTURE;
    }
  });
});
