import { expandResultsPaths } from "./results-paths.js";
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

/**
 * Several results files (a matrix's artifacts), in order: paths, folders or globs
 * (see {@link expandResultsPaths}); the first bad one names itself.
 */
export async function readResultsFiles(patterns: readonly string[], label = "results-files"): Promise<Results[]> {
  const paths = await expandResultsPaths(patterns, label);
  return Promise.all(paths.map((p) => readResults(p)));
}
