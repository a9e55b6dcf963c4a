// Runs a TypeScript script (a benchmark) by bundling it with esbuild first.
//   node scripts/run-ts.mjs bench/decision-rates.ts [args...]
import { build } from "esbuild";
import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node scripts/run-ts.mjs FILE.ts [args...]");
  process.exit(2);
}
const outdir = join("node_modules", ".cache", "rosetta-bench", "run");
await mkdir(outdir, { recursive: true });
const outfile = join(outdir, basename(entry).replace(/\.ts$/, ".mjs"));
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["onnxruntime-node", "@tensorflow/*"],
  banner: {
    js: 'import { createRequire as __rbCreateRequire } from "node:module"; const require = __rbCreateRequire(import.meta.url);',
  },
  logLevel: "warning",
});
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
