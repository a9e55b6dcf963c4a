/**
 * What the build renders from the source: the published JSON Schemas (from the
 * zod schemas they are derived from), and action.yml's inputs and the README's
 * flag table (from the options table).
 */
import { z } from "zod";
import { baselineSchema } from "../src/core/baseline-schema.js";
import { caseSpecSchema, workerMessageSchema } from "../src/core/protocol.js";
import { resultsSchema } from "../src/core/results-schema.js";

const BASE = "https://github.com/rosetta-bench/rosetta-bench/blob/main/schemas";

function render(name: string, title: string, schema: z.ZodType): [string, string] {
  const json = { $id: `${BASE}/${name}`, title, ...z.toJSONSchema(schema, { io: "input" }) };
  return [name, JSON.stringify(json, null, 2) + "\n"];
}

export function renderSchemas(): Record<string, string> {
  return Object.fromEntries([
    render("results.schema.json", "rosetta-bench results file", resultsSchema),
    render("baseline.schema.json", "rosetta-bench baseline file", baselineSchema),
    render("case-spec.schema.json", "rosetta-bench worker protocol: case spec (stdin)", caseSpecSchema),
    render("worker-message.schema.json", "rosetta-bench worker protocol: one stdout line", workerMessageSchema),
  ]);
}

export { spliceGenerated } from "../src/configure/options.js";
