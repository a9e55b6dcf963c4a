/** How a case is named across runs, in results files and in the baseline. */
/**
 * The identity of a case across runs and in the baseline. Synthetic-data
 * training cases carry it in their id, so they are never compared with real ones.
 */
export function caseId(c: {
  workload: string;
  framework: string;
  device: string;
  profile: string;
  data?: string | undefined;
}): string {
  const base = `${c.workload}/${c.framework}/${c.device}/${c.profile}`;
  return c.data === "synthetic" ? `${base}/synthetic` : base;
}

/** The data mode of a case's params, for training workloads. */
export function dataOf(params: object): "real" | "synthetic" | undefined {
  const data = (params as { data?: unknown }).data;
  return data === "real" || data === "synthetic" ? data : undefined;
}
