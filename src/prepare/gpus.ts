/**
 * Which GPUs a run uses. `nvidia-smi` lists every GPU of the machine, in PCI bus
 * order, whatever CUDA_VISIBLE_DEVICES says; CUDA numbers the visible ones its
 * own way (fastest first unless CUDA_DEVICE_ORDER=PCI_BUS_ID). So the GPUs asked
 * for (`device: gpu:N`, N as nvidia-smi numbers them) reach the workers by UUID
 * when nvidia-smi gives one, which no ordering can confuse, and a selection the
 * runner already made (its own CUDA_VISIBLE_DEVICES) is respected: asking for a
 * GPU outside it is an error, not a silent change of hardware.
 */
import { InputError } from "../configure/readers.js";
import type { Gpu } from "../core/results-schema.js";

export interface GpuSelection {
  /** The GPUs the workers will see: the testbed's GPUs. */
  gpus: Gpu[];
  /** Variables to set for the workers; empty when the runner's own setting stands. */
  env: Record<string, string>;
}

const describeGpu = (g: Gpu) => `${g.index ?? "?"} (${g.name})`;

/** The GPUs a CUDA_VISIBLE_DEVICES value leaves visible, or undefined when a token cannot be matched. */
function visibleUnder(listed: readonly Gpu[], value: string): Gpu[] | undefined {
  const tokens = value
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  // CUDA stops at the first invalid entry; "-1" or "" hides every GPU.
  const out: Gpu[] = [];
  for (const token of tokens) {
    const byIndex = /^\d+$/.test(token) ? listed.find((g) => g.index === Number(token)) : undefined;
    const byUuid = token.startsWith("GPU-") ? listed.find((g) => g.uuid?.startsWith(token)) : undefined;
    const gpu = byIndex ?? byUuid;
    if (gpu) out.push(gpu);
    else if (/^-?\d+$/.test(token)) break;
    else return undefined; // a MIG instance or a form this tool does not map: keep the runner's setting whole
  }
  return out;
}

/**
 * @param listed   what nvidia-smi lists
 * @param asked    nvidia-smi indices from `gpu:N[,M]`; undefined: every visible GPU
 * @param runnerValue the CUDA_VISIBLE_DEVICES the runner set, if any
 * @param label    how the device input is named in errors
 */
export function selectGpus(
  listed: readonly Gpu[],
  asked: readonly number[] | undefined,
  runnerValue: string | undefined,
  label: string,
): GpuSelection {
  const runnerSet = runnerValue !== undefined;
  const visible = runnerSet ? visibleUnder(listed, runnerValue) : [...listed];
  if (!asked) return { gpus: visible ?? [...listed], env: {} };

  const names = listed.length ? listed.map(describeGpu).join(", ") : "none";
  const chosen: Gpu[] = [];
  for (const index of asked) {
    const gpu = listed.find((g) => g.index === index);
    if (!gpu)
      throw new InputError(
        `${label}: 'gpu:${asked.join(",")}' names GPU ${index}, which nvidia-smi does not list; it lists: ${names}`,
      );
    if (runnerSet && (!visible || !visible.includes(gpu))) {
      throw new InputError(
        `${label}: 'gpu:${asked.join(",")}' asks for GPU ${describeGpu(gpu)}, which this runner's CUDA_VISIBLE_DEVICES='${runnerValue}' does not make visible`,
      );
    }
    if (!chosen.includes(gpu)) chosen.push(gpu);
  }
  const byUuid = chosen.every((g) => g.uuid);
  return {
    gpus: chosen,
    env: byUuid
      ? { CUDA_VISIBLE_DEVICES: chosen.map((g) => g.uuid).join(",") }
      : { CUDA_VISIBLE_DEVICES: chosen.map((g) => String(g.index)).join(","), CUDA_DEVICE_ORDER: "PCI_BUS_ID" },
  };
}
