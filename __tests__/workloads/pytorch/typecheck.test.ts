/**
 * The PyTorch worker's Python is type-checked like the TypeScript: pyright in
 * strict mode (workloads/pytorch/pyrightconfig.json: unused imports, missing
 * annotations, optional misuse and the like are errors), against the
 * interpreter that runs it, so torch's and numpy's own types are checked too.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../process.js";
import { TORCH_PYTHON } from "../../python.js";

interface PyrightReport {
  generalDiagnostics: Array<{ file: string; severity: string; message: string; range: { start: { line: number } } }>;
  summary: { filesAnalyzed: number; errorCount: number };
}

function pyright(): PyrightReport {
  const cli = join(ROOT, "node_modules", "pyright", "index.js");
  const args = [cli, "--outputjson", "--pythonpath", TORCH_PYTHON!, "-p", join(ROOT, "workloads", "pytorch")];
  try {
    return JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8", timeout: 180_000 })) as PyrightReport;
  } catch (err) {
    // pyright exits 1 when it found errors; its JSON report is still on stdout.
    const out = (err as { stdout?: string }).stdout;
    if (out) return JSON.parse(out) as PyrightReport;
    throw err;
  }
}

describe.skipIf(!TORCH_PYTHON)("the PyTorch worker's Python", () => {
  it("passes pyright's strict checks with no error", () => {
    const report = pyright();
    const errors = report.generalDiagnostics
      .filter((d) => d.severity === "error")
      .map((d) => `${d.file}:${d.range.start.line + 1}: ${d.message}`);
    expect(errors).toEqual([]);
    expect(report.summary.filesAnalyzed).toBeGreaterThanOrEqual(12);
  }, 200_000);
});
