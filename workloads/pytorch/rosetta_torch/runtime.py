"""PyTorch on the case's device: loading, thread count, versions, and a clock that waits for the GPU."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Dict, Iterable, Union

import torch
import torch.backends.cudnn
import torch.version

from .protocol import FrameworkUnavailable
from .spec import Device

Detail = Union[str, int, float, bool]


@dataclass(frozen=True)
class Runtime:
    """Where a case runs, and what the results record about it."""

    device: torch.device
    details: Dict[str, Detail]

    @property
    def backend(self) -> str:
        return "cuda" if self.device.type == "cuda" else "cpu"

    def prove(self, tensors: Iterable[torch.Tensor], what: str) -> None:
        """Refuses to report a figure when any of `tensors` is not on the case's device.

        A model moved with .to() is on the device by construction; this makes the
        claim checked rather than assumed, for the weights and for what the first
        pass produced (a CPU fallback inside a custom op would show here).
        """
        wrong = sorted({t.device.type for t in tensors if t.device.type != self.device.type})
        if wrong:
            raise FrameworkUnavailable(
                f"{what} ran on {', '.join(wrong)}, not on the {self.device.type} the case asked for; no figure reported"
            )

    def clock(self) -> float:
        """Seconds on a monotonic clock, read only after the GPU has finished the work queued so far."""
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
        return time.perf_counter()


def versions() -> Dict[str, Detail]:
    """torch, and the CUDA and cuDNN it was built with (absent on a CPU-only build)."""
    out: Dict[str, Detail] = {"torch": torch.__version__}
    cuda = torch.version.cuda
    if cuda:
        out["cuda"] = cuda
    if torch.backends.cudnn.is_available():
        code = torch.backends.cudnn.version()
        if code is not None:
            out["cudnn"] = cudnn_version(code)
    return out


def cudnn_version(code: int) -> str:
    """cuDNN's version number as text: 8 encodes 8.9.2 as 8902, 9 encodes 9.1.0 as 90100."""
    if code >= 10000:
        return f"{code // 10000}.{(code // 100) % 100}.{code % 100}"
    return f"{code // 1000}.{(code // 100) % 10}.{code % 100}"


def open_runtime(device: Device, threads: int) -> Runtime:
    """The case's device, set up as the reference ran: explicit CPU threads, autotuned cuDNN on a GPU."""
    details: Dict[str, Detail] = {**versions(), "layout": "NCHW"}
    if device == "gpu":
        if not torch.cuda.is_available():
            built = f"built with CUDA {torch.version.cuda}" if torch.version.cuda else "a CPU-only build"
            raise FrameworkUnavailable(
                f"PyTorch {torch.__version__} ({built}) sees no CUDA device; check the driver and CUDA_VISIBLE_DEVICES"
            )
        torch.backends.cudnn.benchmark = True
        target = torch.device("cuda", 0)
        details["gpu"] = torch.cuda.get_device_name(target)
        details["cudnnBenchmark"] = True
        return Runtime(target, details)
    # Debian's build starts with one thread on some machines: always set it (docs/ENVIRONMENT).
    torch.set_num_threads(threads)
    details["threads"] = torch.get_num_threads()
    return Runtime(torch.device("cpu"), details)
