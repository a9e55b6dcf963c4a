import { readVersionedJson, writeJsonAtomic } from "./files.js";
import { RESULTS_SCHEMA_VERSION, resultsSchema, type Results } from "../core/results-schema.js";

export async function readResults(path: string): Promise<Results> {
  const results = await readVersionedJson(path, resultsSchema, "results", RESULTS_SCHEMA_VERSION);
  if (!results) throw new Error(`results file '${path}' does not exist`);
  return results;
}

export function writeResults(path: string, results: Results): Promise<void> {
  return writeJsonAtomic(path, resultsSchema.parse(results));
}

/** Several results files (a matrix's artifacts), in order; the first bad one names itself. */
export function readResultsFiles(paths: readonly string[]): Promise<Results[]> {
  return Promise.all(paths.map((p) => readResults(p)));
}
