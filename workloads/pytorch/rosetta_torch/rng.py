"""The seeded generator of workloads/rng.ts, ported value for value.

Every framework must start from bit-identical weights and inputs, so PyTorch
gets them from the same generator as the Node frameworks, not from torch's own.
mulberry32 is a counter-based hash: draw i (from 1) is a function of
``seed + i * 0x6D2B79F5 mod 2**32`` alone, so whole blocks are computed with
numpy's wrapping uint32 arithmetic instead of a Python loop.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

_GOLDEN = 0x6D2B79F5
_MASK = 0xFFFFFFFF
_TWO_32 = 4294967296.0

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]


def derive_seed(seed: int, label: str) -> int:
    """FNV-1a of the label's UTF-16 code units, started from the seed (deriveSeed)."""
    h = (0x811C9DC5 ^ seed) & _MASK
    units = label.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h ^= units[i] | (units[i + 1] << 8)
        h = (h * 0x01000193) & _MASK
    return h


def _hash(states: npt.NDArray[np.uint32]) -> F64:
    """mulberry32's output for each state, as floats in [0, 1)."""
    t = states
    t = (t ^ (t >> np.uint32(15))) * (t | np.uint32(1))
    t = t ^ (t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61)))
    out = t ^ (t >> np.uint32(14))
    return out.astype(np.float64) / _TWO_32


class SeededRandom:
    """The stream of SeededRandom(seed) in workloads/rng.ts."""

    def __init__(self, seed: int) -> None:
        self._state = seed & _MASK

    def take(self, count: int) -> F64:
        """The next ``count`` draws of ``next()``, as float64 in [0, 1)."""
        steps = np.arange(1, count + 1, dtype=np.uint64)
        states = ((np.uint64(self._state) + steps * np.uint64(_GOLDEN)) & np.uint64(_MASK)).astype(np.uint32)
        self._state = (self._state + count * _GOLDEN) & _MASK
        return _hash(states)

    def next(self) -> float:
        """One draw, as ``next()``."""
        return float(self.take(1)[0])

    def uniform(self, count: int, low: float = 0.0, high: float = 1.0) -> F32:
        """``fillUniform(new Float32Array(count), low, high)``: float64 arithmetic, then one float32 rounding."""
        span = high - low
        return (low + span * self.take(count)).astype(np.float32)


def glorot_uniform(seed: int, size: int, fan_in: int, fan_out: int) -> F32:
    """U(±sqrt(6 / (fan_in + fan_out))) from ``SeededRandom(seed)``."""
    limit = math.sqrt(6 / (fan_in + fan_out))
    return SeededRandom(seed).uniform(size, -limit, limit)
