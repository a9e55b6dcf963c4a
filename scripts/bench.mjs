// Runs a benchmark script from bench/ (TypeScript), bundled with esbuild first.
//   node scripts/bench.mjs parse-cifar
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const name = process.argv[2];
if (!name || !/^[a-z0-9-]+$/.test(name)) {
  console.error("usage: node scripts/bench.mjs NAME   (runs bench/NAME.ts)");
  process.exit(2);
}
const outdir = join("node_modules", ".cache", "rosetta-bench");
await mkdir(outdir, { recursive: true });
// Worktrees may share one node_modules: name the bundle after this checkout too.
const checkout = createHash("sha256").update(process.cwd()).digest("hex").slice(0, 8);
const outfile = resolve(outdir, `bench-${name}-${checkout}.mjs`);
await build({
  entryPoints: [join("bench", `${name}.ts`)],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});
await import(pathToFileURL(outfile).href);
