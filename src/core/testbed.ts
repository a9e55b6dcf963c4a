/**
 * A testbed is the machine a figure was measured on. By default figures are
 * compared within one *hardware* testbed: OS, architecture, CPU model and
 * logical cores, GPU models. The software stack (framework versions, the GPU
 * driver and its CUDA version) is what a gate judges: a Dependabot bump or a
 * new runner image with another driver is exactly the change to measure, and
 * the report names it ("changed since the baseline"). `strict` matching puts
 * the driver and CUDA in the key too, for users who want a new driver to start
 * a new baseline instead.
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

export const TESTBED_MATCHES = ["hardware", "strict"] as const;
export type TestbedMatch = (typeof TESTBED_MATCHES)[number];

/** The fields that are software, not hardware: judged by default, part of the key in strict mode. */
const SOFTWARE_FIELDS = ["gpuDriver", "cuda"] as const;

/** The key figures are matched by: the hardware, or (strict) the hardware with driver and CUDA. */
export function matchKey(t: Testbed, match: TestbedMatch): string {
  if (match === "strict") return testbedKey(t);
  return testbedKey({ os: t.os, arch: t.arch, cpu: t.cpu, cores: t.cores, gpus: t.gpus });
}

/** A stable string key of every field, for display and strict matching. */
export function testbedKey(t: Testbed): string {
  const driver = [t.gpuDriver && `driver ${t.gpuDriver}`, t.cuda && `CUDA ${t.cuda}`].filter(Boolean).join(", ");
  const gpu = t.gpus.length ? `${t.gpus.join("+")}${driver ? ` (${driver})` : ""}` : "no GPU";
  return `${t.os}/${t.arch} · ${t.cpu} × ${t.cores} · ${gpu}`;
}

/** Names of the testbed fields that differ and that `match` compares, for "not judged" explanations. */
export function testbedDifferences(a: Testbed, b: Testbed, match: TestbedMatch = "strict"): string[] {
  const keys: Array<keyof Testbed> = ["os", "arch", "cpu", "cores", "gpus", "gpuDriver", "cuda"];
  return keys
    .filter((k) => match === "strict" || !(SOFTWARE_FIELDS as readonly string[]).includes(k))
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** The software fields that changed from `before` to `after`, as "driver 570.86 → 580.159". */
export function softwareChanges(before: Testbed, after: Testbed): string[] {
  const label = { gpuDriver: "driver", cuda: "CUDA" } as const;
  return SOFTWARE_FIELDS.flatMap((k) =>
    before[k] !== after[k] ? [`${label[k]} ${before[k] ?? "none"} → ${after[k] ?? "none"}`] : [],
  );
}
