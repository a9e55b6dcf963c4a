/**
 * The Python interpreter the PyTorch tests run: ROSETTA_BENCH_TEST_PYTHON, else
 * Debian's /usr/bin/python3 (where apt puts python3-torch), else python3 on PATH;
 * the first that imports torch and torchvision. CI installs Debian's packages
 * (.ci/run) and sets CI=true: there a missing PyTorch fails the tests instead of
 * skipping them. Elsewhere the PyTorch tests are skipped, with a note saying why.
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

const CANDIDATES = [process.env.ROSETTA_BENCH_TEST_PYTHON, "/usr/bin/python3", "python3"].filter((p): p is string =>
  Boolean(p),
);

export const TORCH_PYTHON: string | undefined = CANDIDATES.find(importsTorch);

if (!TORCH_PYTHON) {
  const why = `none of ${CANDIDATES.join(", ")} imports torch and torchvision`;
  if (process.env.CI) throw new Error(`the PyTorch tests must run in CI, but ${why}; .ci/run installs them with apt`);
  process.stderr.write(`PyTorch tests skipped: ${why} (apt-get install python3-torch python3-torchvision)\n`);
}
