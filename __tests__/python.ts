/**
 * The Python interpreter the PyTorch tests run: ROSETTA_BENCH_TEST_PYTHON, else
 * Debian's /usr/bin/python3 (where apt puts python3-torch), else python3 on PATH;
 * the first that imports torch. CI installs Debian's packages (.ci/run), so
 * there the tests always run; a machine without PyTorch skips them.
 */
import { execFileSync } from "node:child_process";

function importsTorch(python: string): boolean {
  try {
    execFileSync(python, ["-c", "import torch, torchvision"], { stdio: "ignore", timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

export const TORCH_PYTHON: string | undefined = [
  process.env.ROSETTA_BENCH_TEST_PYTHON,
  "/usr/bin/python3",
  "python3",
].find((p): p is string => Boolean(p) && importsTorch(p!));
