"""The PyTorch worker: reads one case spec from stdin, runs it, speaks the protocol on stdout.

It imports nothing of PyTorch before the spec is read and checked, so a
missing or broken torch is reported as an "unavailable" case with the reason,
never as a crash.
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Optional

from .protocol import Emit, FrameworkUnavailable, Message, error, progress, protect_stdout
from .spec import CaseSpec, FeatureCase, SpecError, parse_spec

#: The oldest Python this code runs on.
MIN_PYTHON = (3, 9)


def _torch_problem() -> Optional[str]:
    """Why PyTorch cannot be imported by this interpreter, or None."""
    try:
        import torch  # noqa: F401  # pyright: ignore[reportUnusedImport]
    except Exception as err:  # ImportError, or a native library that fails to load
        detail = str(err).splitlines()[0] if str(err) else type(err).__name__
        return (
            f"PyTorch cannot be imported by {sys.executable} (Python {sys.version.split()[0]}): {detail}; "
            "install it for this interpreter (Debian: apt-get install python3-torch python3-torchvision) "
            "or pick another with --python"
        )
    return None


def _run(spec: CaseSpec, emit: Emit) -> Message:
    from .runtime import open_runtime

    if spec.framework != "pytorch":
        raise FrameworkUnavailable(f"this worker has no framework '{spec.framework}'; it runs 'pytorch'")
    runtime = open_runtime(spec.device, spec.threads)
    if isinstance(spec, FeatureCase):
        from .features import run_features

        return run_features(spec, runtime, emit)
    from .training import run_training_case

    return run_training_case(spec, runtime, emit)


def main() -> int:
    emit = protect_stdout()
    try:
        spec = parse_spec(json.loads(sys.stdin.read()))
    except (SpecError, ValueError) as err:
        emit(error("failed", f"invalid case spec on stdin: {err}"))
        return 2
    if sys.version_info < MIN_PYTHON:
        wanted = ".".join(map(str, MIN_PYTHON))
        emit(error("unavailable", f"{sys.executable} is Python {sys.version.split()[0]}; the PyTorch worker needs {wanted} or later"))
        return 0
    emit(progress("load", 0, 1, "loading pytorch"))
    problem = _torch_problem()
    if problem:
        emit(error("unavailable", problem))
        return 0
    try:
        emit(_run(spec, emit))
        return 0
    except FrameworkUnavailable as err:
        emit(error("unavailable", str(err), _versions()))
        return 0
    except Exception as err:  # a failed case: reported, with the trace on stderr
        traceback.print_exc(file=sys.stderr)
        emit(error("failed", f"{type(err).__name__}: {err}", _versions()))
        return 1


def _versions() -> Optional[Message]:
    try:
        from .runtime import versions

        detail = versions()
        return {"version": str(detail["torch"]), "details": detail}
    except Exception:
        return None
