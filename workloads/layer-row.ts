/** One row of `rosetta-bench describe`'s layer table, the same for every workload. */
export interface LayerRow {
  name: string;
  kind: string;
  output: string;
  parameters: number;
  settings: string;
}
