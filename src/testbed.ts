/**
 * A testbed is the hardware and OS a figure was measured on. Figures are only
 * compared within one testbed. Framework versions are deliberately *not* part
 * of it: a framework upgrade is exactly the change a PR gate must judge.
 */
import { z } from "zod";
import type { Environment } from "./results/schema.js";

export const testbedSchema = z.object({
  os: z.string(),
  arch: z.string(),
  cpu: z.string(),
  cores: z.int().positive(),
  gpus: z.array(z.string()),
  gpuDriver: z.string().optional(),
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
  };
}

/** A stable string key; equal keys mean like-for-like figures. */
export function testbedKey(t: Testbed): string {
  const gpu = t.gpus.length ? `${t.gpus.join("+")}${t.gpuDriver ? ` (driver ${t.gpuDriver})` : ""}` : "no GPU";
  return `${t.os}/${t.arch} · ${t.cpu} × ${t.cores} · ${gpu}`;
}

/** Names of the testbed fields that differ, for "not judged" explanations. */
export function testbedDifferences(a: Testbed, b: Testbed): string[] {
  const keys: Array<keyof Testbed> = ["os", "arch", "cpu", "cores", "gpus", "gpuDriver"];
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
