"""Entry point: ``python3 -m rosetta_torch`` with workloads/pytorch on PYTHONPATH."""

from __future__ import annotations

import sys

from .worker import main

if __name__ == "__main__":
    sys.exit(main())
