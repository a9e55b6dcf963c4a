"""The case spec a worker reads on stdin, checked as strictly as the Node worker's zod schema.

src/core/protocol.ts (published as schemas/case-spec.schema.json) is the
authority; this mirrors it field by field. Like zod's objects, unknown keys are
ignored, so a newer parent adding an optional field does not break this worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union, cast

PROTOCOL_VERSION = 1
DEVICES = ("cpu", "gpu")
TRAINING_WORKLOADS = ("cnn-cifar10", "rnn-imdb")
DATA_MODES = ("real", "synthetic")
_MAX_SAFE = 2**53 - 1

Device = Literal["cpu", "gpu"]


class SpecError(ValueError):
    """The spec on stdin is not a case spec; the message names the field and the value."""


@dataclass(frozen=True)
class FeatureParams:
    batch_size: int
    batches: int
    image_size: int
    warmup_passes: int


@dataclass(frozen=True)
class TrainingParams:
    batch_size: int
    epochs: int
    steps_per_epoch: int | None
    test_batches: int | None
    window: int
    warmup_windows: int
    data: Literal["real", "synthetic"]


@dataclass(frozen=True)
class FeatureCase:
    id: str
    framework: str
    device: Device
    profile: str
    seed: int
    threads: int
    params: FeatureParams
    workload: Literal["resnet50-features"] = "resnet50-features"


@dataclass(frozen=True)
class TrainingCase:
    id: str
    framework: str
    device: Device
    profile: str
    seed: int
    threads: int
    workload: Literal["cnn-cifar10", "rnn-imdb"]
    params: TrainingParams
    data_dir: str


CaseSpec = Union[FeatureCase, TrainingCase]


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _obj(value: object, where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise SpecError(f"{where}: expected an object, got {_describe(value)}")
    return cast("dict[str, object]", value)


def _get(obj: dict[str, object], key: str, where: str) -> object:
    if key not in obj:
        raise SpecError(f"{where}{key}: required")
    return obj[key]


def _int(obj: dict[str, object], key: str, where: str, minimum: int) -> int:
    value = _get(obj, key, where)
    # bool is an int in Python, never a number in JSON; 2.0 is an integer in JSON.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(f"{where}{key}: expected an integer, got {_describe(value)}")
    if isinstance(value, float):
        if not value.is_integer():
            raise SpecError(f"{where}{key}: expected an integer, got {_describe(value)}")
        value = int(value)
    if abs(value) > _MAX_SAFE:
        raise SpecError(f"{where}{key}: {value} is not a safe integer")
    if value < minimum:
        raise SpecError(f"{where}{key}: expected an integer >= {minimum}, got {value}")
    return value


def _opt_int(obj: dict[str, object], key: str, where: str, minimum: int) -> int | None:
    return None if key not in obj else _int(obj, key, where, minimum)


def _str(obj: dict[str, object], key: str, where: str) -> str:
    value = _get(obj, key, where)
    if not isinstance(value, str):
        raise SpecError(f"{where}{key}: expected a string, got {_describe(value)}")
    return value


def _choice(obj: dict[str, object], key: str, where: str, accepted: tuple[str, ...]) -> str:
    value = _get(obj, key, where)
    if not isinstance(value, str) or value not in accepted:
        raise SpecError(f"{where}{key}: {_describe(value)} is not accepted; accepted: {', '.join(accepted)}")
    return value


def parse_spec(raw: object) -> CaseSpec:
    """A validated case spec from parsed JSON, or SpecError naming the first bad field."""
    spec = _obj(raw, "case spec")
    version = _get(spec, "protocol", "")
    if isinstance(version, bool) or version != PROTOCOL_VERSION:
        raise SpecError(f"protocol: {_describe(version)} is not accepted; accepted: {PROTOCOL_VERSION}")
    workload = _choice(spec, "workload", "", ("resnet50-features", *TRAINING_WORKLOADS))
    case_id = _str(spec, "id", "")
    framework = _str(spec, "framework", "")
    device = cast(Device, _choice(spec, "device", "", DEVICES))
    profile = _str(spec, "profile", "")
    seed = _int(spec, "seed", "", 0)
    threads = _int(spec, "threads", "", 1)
    params = _obj(_get(spec, "params", ""), "params")
    if workload == "resnet50-features":
        feature = FeatureParams(
            batch_size=_int(params, "batchSize", "params.", 1),
            batches=_int(params, "batches", "params.", 1),
            image_size=_int(params, "imageSize", "params.", 32),
            warmup_passes=_int(params, "warmupPasses", "params.", 0),
        )
        return FeatureCase(case_id, framework, device, profile, seed, threads, feature)
    training = TrainingParams(
        batch_size=_int(params, "batchSize", "params.", 1),
        epochs=_int(params, "epochs", "params.", 1),
        steps_per_epoch=_opt_int(params, "stepsPerEpoch", "params.", 1),
        test_batches=_opt_int(params, "testBatches", "params.", 0),
        window=_int(params, "window", "params.", 1),
        warmup_windows=_int(params, "warmupWindows", "params.", 0),
        data=cast('Literal["real", "synthetic"]', _choice(params, "data", "params.", DATA_MODES)),
    )
    data_dir = _str(spec, "dataDir", "")
    kind = cast('Literal["cnn-cifar10", "rnn-imdb"]', workload)
    return TrainingCase(case_id, framework, device, profile, seed, threads, kind, training, data_dir)
