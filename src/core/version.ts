/** The tool's own version, stamped in by the bundler (package.json's version). */
declare const __ROSETTA_BENCH_VERSION__: string | undefined;

export const TOOL_VERSION: string =
  typeof __ROSETTA_BENCH_VERSION__ === "string" ? __ROSETTA_BENCH_VERSION__ : "0.0.0-dev";
