/** Expands a configuration into the cases to run: framework × workload × device. */
import {
  FEATURE_PROFILES,
  FRAMEWORKS,
  TRAINING_PROFILES,
  WORKLOAD_IDS,
  type FrameworkId,
  type ProfileId,
  type ExternalWorker,
  type WorkloadId,
} from "../core/catalog.js";
import { caseId } from "../core/case-id.js";
import { DEVICES, PROTOCOL_VERSION, type CaseSpec, type Device } from "../core/protocol.js";

export interface PlanInput {
  frameworks: readonly FrameworkId[];
  workloads: readonly WorkloadId[];
  profile: ProfileId;
  /** The device the run targets; frameworks that only run elsewhere keep their own. */
  device: Device;
  seed: number;
  threads: number;
  dataDir: string;
  /** Train on synthetic data of the real shapes whatever the profile (timing only). */
  syntheticData?: boolean;
  /** Programs that speak the worker protocol, each run as one more framework (see `workers`). */
  externalWorkers?: readonly ExternalWorker[];
}

export function planCases(input: PlanInput): CaseSpec[] {
  const cases: CaseSpec[] = [];
  const external = input.externalWorkers ?? [];
  const all = [...WORKLOAD_IDS];
  for (const workload of input.workloads) {
    const frameworks: Array<{ id: string; entry: { devices: readonly Device[]; workloads: readonly string[] } }> = [
      ...input.frameworks.map((id) => ({ id, entry: FRAMEWORKS[id] })),
      // An external worker may take any workload on any device; it says "unavailable" to the rest.
      ...external.map((w) => ({ id: w.name, entry: { devices: DEVICES, workloads: all } })),
    ];
    for (const { id: framework, entry } of frameworks) {
      if (!entry.workloads.includes(workload)) continue;
      const devices: readonly Device[] = entry.devices;
      const device = devices.includes(input.device) ? input.device : (devices[0] ?? input.device);
      const common = {
        protocol: PROTOCOL_VERSION as typeof PROTOCOL_VERSION,
        framework,
        device,
        profile: input.profile,
        seed: input.seed,
        threads: input.threads,
      };
      if (workload === "resnet50-features") {
        cases.push({
          ...common,
          id: caseId({ ...common, workload }),
          workload,
          params: FEATURE_PROFILES[input.profile],
        });
      } else {
        const profile = TRAINING_PROFILES[workload][input.profile];
        const params = input.syntheticData ? { ...profile, data: "synthetic" as const } : profile;
        cases.push({
          ...common,
          id: caseId({ ...common, workload, data: params.data }),
          workload,
          params,
          dataDir: input.dataDir,
        });
      }
    }
  }
  return cases;
}
