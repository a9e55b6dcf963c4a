"""Protocol lines on the real stdout; everything else the process prints goes to stderr.

The shapes are those of src/core/protocol.ts (schemas/worker-message.schema.json).
"""

from __future__ import annotations

import json
import math
import os
import sys
from typing import Callable, Dict, List, Literal, Mapping, Optional, Sequence, Union

Detail = Union[str, int, float, bool]
Phase = Literal["load", "data", "build", "warmup", "measure", "train", "evaluate"]
SampleName = Literal["batch_s", "step_s"]
Message = Dict[str, object]
Emit = Callable[[Message], None]


class FrameworkUnavailable(Exception):
    """PyTorch (or what a case needs of it) cannot run here: the case is reported unavailable."""


def protect_stdout() -> Emit:
    """Keeps file descriptor 1 for protocol lines: Python's and native libraries' prints go to stderr."""
    sys.stdout.flush()
    protocol_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    out = os.fdopen(protocol_fd, "w", encoding="utf-8", buffering=1)

    def emit(message: Message) -> None:
        # One write per line, flushed at once: a line written just before a crash still arrives.
        out.write(json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n")
        out.flush()

    return emit


def progress(phase: Phase, done: int, total: int, message: Optional[str] = None) -> Message:
    line: Message = {"type": "progress", "phase": phase, "done": done, "total": total}
    if message is not None:
        line["message"] = message
    return line


def sample(name: SampleName, value: float) -> Message:
    return {"type": "sample", "name": name, "value": finite(value, name)}


def finite(value: float, name: str) -> float:
    if not math.isfinite(value):
        raise ValueError(f"{name} is {value}: a figure must be a finite number")
    return float(value)


def framework_info(version: str, backend: str, details: Mapping[str, Detail]) -> Message:
    return {"version": version, "backend": backend, "details": dict(details)}


def result(
    framework: Message,
    parameter_count: int,
    metrics: Mapping[str, float],
    probe: Optional[Sequence[float]] = None,
) -> Message:
    line: Message = {
        "type": "result",
        "framework": framework,
        "parameterCount": parameter_count,
        "metrics": {k: finite(v, k) for k, v in metrics.items()},
    }
    if probe is not None:
        values: List[float] = [finite(v, "probe") for v in probe]
        line["probe"] = values
    return line


def error(kind: Literal["unavailable", "failed"], message: str, framework: Optional[Message] = None) -> Message:
    line: Message = {"type": "error", "kind": kind, "message": message}
    if framework is not None:
        line["framework"] = framework
    return line
