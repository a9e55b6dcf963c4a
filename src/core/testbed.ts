/**
 * A testbed is the hardware and OS a figure was measured on. Figures are only
 * compared within one testbed: OS, architecture, CPU model and logical cores,
 * GPU models, driver and the driver's CUDA version. Framework versions are
 * deliberately *not* part of it: a framework upgrade is exactly the change a PR
 * gate must judge, and the report shows the versions side by side. cuDNN is not
 * known to the orchestrator (it ships inside the framework), so it is not part
 * of the key either.
 */
import { z } from "zod";
import type { Environment } from "./results-schema.js";

export const testbedSchema = z.object({
  os: z.string(),
  arch: z.string(),
  cpu: z.string(),
  cores: z.int().positive(),
  gpus: z.array(z.string()),
  gpuDriver: z.string().optional(),
  cuda: z.string().optional(),
});
export type Testbed = z.infer<typeof testbedSchema>;

export function testbedOf(env: Environment): Testbed {
  const driver = env.gpus.find((g) => g.driver)?.driver;
  return {
    os: env.os.platform,
    arch: env.os.arch,
    cpu: env.cpu.model,
    cores: env.cpu.cores,
    gpus: env.gpus.map((g) => g.name),
    ...(driver ? { gpuDriver: driver } : {}),
    ...(env.cuda ? { cuda: env.cuda } : {}),
  };
}

/** A stable string key; equal keys mean like-for-like figures. */
export function testbedKey(t: Testbed): string {
  const driver = [t.gpuDriver && `driver ${t.gpuDriver}`, t.cuda && `CUDA ${t.cuda}`].filter(Boolean).join(", ");
  const gpu = t.gpus.length ? `${t.gpus.join("+")}${driver ? ` (${driver})` : ""}` : "no GPU";
  return `${t.os}/${t.arch} · ${t.cpu} × ${t.cores} · ${gpu}`;
}

/** Names of the testbed fields that differ, for "not judged" explanations. */
export function testbedDifferences(a: Testbed, b: Testbed): string[] {
  const keys: Array<keyof Testbed> = ["os", "arch", "cpu", "cores", "gpus", "gpuDriver", "cuda"];
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
