/** Expands a configuration into the cases to run: framework × workload × device. */
import { FRAMEWORKS, PROFILES, type FrameworkId, type ProfileId, type WorkloadId } from "./catalog.js";
import { PROTOCOL_VERSION, type CaseSpec, type Device } from "./protocol.js";

export interface PlanInput {
  frameworks: readonly FrameworkId[];
  workloads: readonly WorkloadId[];
  profile: ProfileId;
  /** The device the run targets; frameworks that only run elsewhere keep their own. */
  device: Device;
  seed: number;
  threads: number;
}

/** The identity of a case across runs and in the baseline. */
export function caseId(c: { workload: string; framework: string; device: string; profile: string }): string {
  return `${c.workload}/${c.framework}/${c.device}/${c.profile}`;
}

export function planCases(input: PlanInput): CaseSpec[] {
  const cases: CaseSpec[] = [];
  for (const workload of input.workloads) {
    for (const framework of input.frameworks) {
      const entry = FRAMEWORKS[framework];
      if (!(entry.workloads as readonly string[]).includes(workload)) continue;
      const devices: readonly Device[] = entry.devices;
      const device = devices.includes(input.device) ? input.device : (devices[0] ?? input.device);
      const base = { workload, framework, device, profile: input.profile };
      cases.push({
        protocol: PROTOCOL_VERSION,
        id: caseId(base),
        ...base,
        seed: input.seed,
        threads: input.threads,
        params: PROFILES[workload][input.profile],
      });
    }
  }
  return cases;
}
