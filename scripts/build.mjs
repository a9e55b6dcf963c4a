// Builds dist/ (the action, the CLI and the worker) and schemas/.
//   node scripts/build.mjs           write dist/ and schemas/
//   node scripts/build.mjs --check   fail if the committed dist/ or schemas/ differ from a fresh build
import { build } from "esbuild";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "prettier";

const check = process.argv.includes("--check");
const pkg = JSON.parse(await readFile("package.json", "utf8"));

// Bundled ESM still meets CommonJS dependencies that call require().
const banner = `import { createRequire as __rbCreateRequire } from "node:module";
const require = __rbCreateRequire(import.meta.url);`;

const result = await build({
  entryPoints: { index: "src/index.ts", cli: "src/cli.ts", worker: "workloads/worker.ts" },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // No source maps: they were 12 MB of single-line text rewritten by every rebuild.
  sourcemap: false,
  // The frameworks stay outside the bundle: pinned in package.json, installed
  // beside it, and loaded by the worker only when a case asks for them.
  external: ["onnxruntime-node", "@tensorflow/*"],
  banner: { js: banner },
  define: { __ROSETTA_BENCH_VERSION__: JSON.stringify(pkg.version) },
  legalComments: "none",
  logLevel: "warning",
  write: false,
});

const schemaBundle = await build({
  entryPoints: ["scripts/schemas.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  write: false,
  logLevel: "warning",
});
const cacheDir = join("node_modules", ".cache", "rosetta-bench");
await mkdir(cacheDir, { recursive: true });
const schemaModule = join(cacheDir, "schemas.mjs");
await writeFile(schemaModule, schemaBundle.outputFiles[0].contents);
const { renderSchemas, spliceGenerated } = await import(pathToFileURL(schemaModule).href);

const outputs = new Map(result.outputFiles.map((f) => [join("dist", f.path.split(/[\\/]dist[\\/]/).pop()), f.text]));
for (const [name, text] of Object.entries(renderSchemas())) outputs.set(join("schemas", name), text);

// action.yml's inputs and the README's flag and input tables come from src/configure/options.ts.
const prettierOptions = JSON.parse(await readFile(".prettierrc.json", "utf8"));
for (const [path, parser] of [
  ["action.yml", "yaml"],
  ["README.md", "markdown"],
]) {
  const spliced = spliceGenerated(path, await readFile(path, "utf8"));
  outputs.set(path, await format(spliced, { ...prettierOptions, parser, filepath: path }));
}

if (check) {
  const stale = [];
  for (const [path, text] of outputs) {
    const committed = await readFile(path, "utf8").catch(() => undefined);
    if (committed !== text) stale.push(path);
  }
  for (const dir of ["dist", "schemas"]) {
    for (const name of await readdir(dir).catch(() => [])) {
      if (!outputs.has(join(dir, name))) stale.push(`${join(dir, name)} (not produced by the build)`);
    }
  }
  if (stale.length) {
    console.error(
      `dist/, schemas/, action.yml's inputs or the README's tables are not current: ${stale.join(", ")}\nRun 'npm run build' and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`dist/, schemas/, action.yml and the README's tables are current (${outputs.size} files)`);
} else {
  for (const [path, text] of outputs) {
    await mkdir(join(path, ".."), { recursive: true });
    await writeFile(path, text);
  }
  console.log(`wrote ${[...outputs.keys()].join(", ")}`);
}
