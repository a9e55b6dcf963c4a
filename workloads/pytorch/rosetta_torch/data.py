"""The training data, prepared exactly as the Node side prepares it (src/data/).

Real data comes from the files ``rosetta-bench data fetch`` verified into the
data folder: ``cifar-10-binary.tar.gz`` (pixels / 255, NCHW, integer labels) and
Keras' ``imdb.npz`` (the reference's preprocessing: start token 1, words shifted
by 3, 2 for indices of 30,000 and more, the last 150 tokens kept, zero padding at
the end). Synthetic data is the seeded stand-in of src/data/synthetic.ts,
value for value, planted signal included (so a few steps visibly learn).
"""

from __future__ import annotations

import codecs
import io
import os
import pickle
import tarfile
import zipfile
from dataclasses import dataclass
from typing import List, Sequence, Tuple, Union, cast

import numpy as np
import numpy.typing as npt

from .rng import SeededRandom, derive_seed
from .spec import TrainingCase

I32 = npt.NDArray[np.int32]
F32 = npt.NDArray[np.float32]

CIFAR_FILE = "cifar-10-binary.tar.gz"
CIFAR_FOLDER = "cifar-10-batches-bin"
CIFAR_TRAIN = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
CIFAR_TEST = ("test_batch.bin",)
CIFAR_IMAGE = 3 * 32 * 32
CIFAR_RECORD = 1 + CIFAR_IMAGE
CIFAR_CLASSES = 10

IMDB_FILE = "imdb.npz"
SEQUENCE_LENGTH = 150
VOCABULARY = 30_000
START, OOV, INDEX_FROM = 1, 2, 3

#: The planted signal of src/data/synthetic.ts.
NOISE_LEVELS = 64
MARK_ROWS = 3
MARK_WORDS = 20
BAND = 50

FULL_SIZES = {"cnn-cifar10": (50_000, 10_000), "rnn-imdb": (25_000, 25_000)}


class DataError(ValueError):
    """A data file that is missing or not what it should be; the message names it."""


@dataclass(frozen=True)
class Split:
    """One split as flat arrays: ``per_sample`` values per sample (NCHW pixels or 150 tokens)."""

    inputs: Union[F32, I32]
    labels: I32
    count: int
    per_sample: int

    def batch(self, indices: Sequence[int]) -> Tuple[Union[F32, I32], I32]:
        rows = np.asarray(indices, dtype=np.int64)
        shaped = self.inputs.reshape(self.count, self.per_sample)
        return shaped[rows], self.labels[rows]


@dataclass(frozen=True)
class TrainingData:
    train: Split
    test: Split
    kind: str  # "real" or "synthetic", as the results record it


# --- synthetic -----------------------------------------------------------------


def _ints(rng: SeededRandom, count: int, below: int) -> npt.NDArray[np.int64]:
    """``Math.floor(rng.next() * below)`` for ``count`` draws."""
    return np.floor(rng.take(count) * below).astype(np.int64)


def synthetic_cifar10(seed: int, train: int, test: int) -> Tuple[Split, Split]:
    def split(label: str, count: int) -> Split:
        rng = SeededRandom(derive_seed(seed, label))
        # float32 of the double quotient: Math.fround(int / 255).
        images = (_ints(rng, count * CIFAR_IMAGE, NOISE_LEVELS) / 255).astype(np.float32).reshape(count, 3, 32, 32)
        labels = _ints(rng, count, CIFAR_CLASSES).astype(np.int32)
        for n, cls in enumerate(labels.tolist()):
            images[n, :, MARK_ROWS * cls : MARK_ROWS * (cls + 1), :] = 1
        return Split(images.reshape(-1), labels, count, CIFAR_IMAGE)

    return split("cifar10/train", train), split("cifar10/test", test)


def synthetic_imdb(seed: int, train: int, test: int) -> Tuple[Split, Split]:
    def split(label: str, count: int) -> Split:
        rng = SeededRandom(derive_seed(seed, label))
        sequences = np.empty((count, SEQUENCE_LENGTH), dtype=np.int32)
        sequences[:, 0] = START
        words = _ints(rng, count * (SEQUENCE_LENGTH - 1), VOCABULARY - INDEX_FROM) + INDEX_FROM
        sequences[:, 1:] = words.reshape(count, SEQUENCE_LENGTH - 1)
        labels = _ints(rng, count, 2).astype(np.int32)
        tail = sequences[:, -MARK_WORDS:]
        sequences[:, -MARK_WORDS:] = INDEX_FROM + BAND * labels[:, None] + (tail - INDEX_FROM) % BAND
        return Split(sequences.reshape(-1), labels, count, SEQUENCE_LENGTH)

    return split("imdb/train", train), split("imdb/test", test)


def _synthetic_sizes(spec: TrainingCase) -> Tuple[int, int]:
    """As large as the profile reads (syntheticSizes in workloads/training/data.ts)."""
    full_train, full_test = FULL_SIZES[spec.workload]
    p = spec.params
    train = full_train if p.steps_per_epoch is None else min(full_train, p.steps_per_epoch * p.batch_size)
    test = full_test if p.test_batches is None else min(full_test, p.test_batches * p.batch_size)
    return train, test


# --- real ----------------------------------------------------------------------


def _decode_cifar(files: Sequence[Tuple[str, bytes]]) -> Split:
    records: List[npt.NDArray[np.uint8]] = []
    for name, raw in files:
        if len(raw) % CIFAR_RECORD:
            raise DataError(
                f"{name} is not a CIFAR-10 batch: {len(raw)} bytes is not a whole number of {CIFAR_RECORD}-byte records"
            )
        records.append(np.frombuffer(raw, dtype=np.uint8).reshape(-1, CIFAR_RECORD))
    table = np.concatenate(records) if records else np.empty((0, CIFAR_RECORD), dtype=np.uint8)
    labels = table[:, 0].astype(np.int32)
    bad = np.nonzero(labels >= CIFAR_CLASSES)[0]
    if bad.size:
        raise DataError(f"record {int(bad[0])} has label {int(labels[bad[0]])}; accepted: 0 to {CIFAR_CLASSES - 1}")
    # byte / 255 in float32 is the correctly rounded quotient, as Math.fround(i / 255) is.
    images = (table[:, 1:].astype(np.float32) / np.float32(255)).reshape(-1)
    return Split(images, labels, int(table.shape[0]), CIFAR_IMAGE)


def load_cifar10(data_dir: str) -> Tuple[Split, Split]:
    path = os.path.join(data_dir, CIFAR_FILE)
    if not os.path.exists(path):
        raise DataError(f"'{path}' does not exist; fetch it with 'rosetta-bench data fetch --datasets cifar10'")
    members: dict[str, bytes] = {}
    wanted = {f"{CIFAR_FOLDER}/{f}" for f in CIFAR_TRAIN + CIFAR_TEST}
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                if member.name in wanted and member.isfile():
                    handle = archive.extractfile(member)
                    if handle is not None:
                        members[member.name] = handle.read()
    except (tarfile.TarError, OSError, EOFError) as err:
        raise DataError(f"'{path}' could not be read as a .tar.gz archive: {err}") from err

    def pick(files: Sequence[str]) -> List[Tuple[str, bytes]]:
        out: List[Tuple[str, bytes]] = []
        for f in files:
            name = f"{CIFAR_FOLDER}/{f}"
            if name not in members:
                raise DataError(f"'{path}' has no member '{name}'; it is not the CIFAR-10 binary archive")
            out.append((f"'{path}' member {name}", members[name]))
        return out

    return _decode_cifar(pick(CIFAR_TRAIN)), _decode_cifar(pick(CIFAR_TEST))


def preprocess_reviews(reviews: Sequence[Sequence[int]], label: str) -> I32:
    """The reference's preprocessing into one [count, 150] block (preprocessReviews)."""
    out = np.zeros((len(reviews), SEQUENCE_LENGTH), dtype=np.int32)
    for i, review in enumerate(reviews):
        words = np.asarray(review, dtype=np.int64)
        if words.size and int(words.min()) < 0:
            raise DataError(f"{label}: review {i} has the negative word index {int(words.min())}")
        tokens = np.concatenate(([START], words + INDEX_FROM))[-SEQUENCE_LENGTH:]
        tokens[tokens >= VOCABULARY] = OOV
        out[i, : tokens.size] = tokens
    return out.reshape(-1)


class _NpyUnpickler(pickle.Unpickler):
    """Unpickles an object array as numpy writes it, and nothing else: any other global is refused.

    numpy 2 writes ``numpy._core``, numpy 1 ``numpy.core``: either is read by either.
    """

    _ALLOWED = {("multiarray", "_reconstruct"), ("multiarray", "scalar"), ("numpy", "ndarray"), ("numpy", "dtype")}

    def find_class(self, module: str, name: str) -> object:
        short = module.rsplit(".", 1)[-1]
        if module in ("numpy.core.multiarray", "numpy._core.multiarray") and (short, name) in self._ALLOWED:
            return getattr(np.core.multiarray, name)  # pyright: ignore[reportAttributeAccessIssue]
        if module == "numpy" and (module, name) in self._ALLOWED:
            return getattr(np, name)
        if (module, name) == ("_codecs", "encode"):  # how protocol 2 carries bytes from Python 3
            return codecs.encode
        raise pickle.UnpicklingError(f"refused: the pickle references {module}.{name}")


def _read_npy(raw: bytes, label: str) -> npt.NDArray[np.generic]:
    """One .npy member: plain arrays from their bytes, object arrays through the restricted unpickler."""
    f = io.BytesIO(raw)
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        else:
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        if dtype.hasobject:
            array = _NpyUnpickler(f, encoding="latin1").load()
            if not isinstance(array, np.ndarray):
                raise DataError(f"{label} holds a pickled {type(array).__name__}, not an array")
            return cast("npt.NDArray[np.generic]", array)
        count = int(np.prod(shape)) if shape else 1
        data = np.frombuffer(f.read(count * dtype.itemsize), dtype=dtype, count=count)
        return data.reshape(shape, order="F" if fortran else "C")
    except (ValueError, pickle.UnpicklingError, EOFError) as err:
        raise DataError(f"{label} could not be read: {err}") from err


def load_imdb(data_dir: str) -> Tuple[Split, Split]:
    path = os.path.join(data_dir, IMDB_FILE)
    if not os.path.exists(path):
        raise DataError(f"'{path}' does not exist; fetch it with 'rosetta-bench data fetch --datasets imdb'")
    try:
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
    except (OSError, zipfile.BadZipFile) as err:
        raise DataError(f"'{path}' could not be read as an .npz archive: {err}") from err

    def array(name: str) -> npt.NDArray[np.generic]:
        if f"{name}.npy" not in members:
            raise DataError(f"'{path}' has no array '{name}'; accepted: an npz with x_train, y_train, x_test, y_test")
        return _read_npy(members[f"{name}.npy"], f"'{path}' array '{name}'")

    def split(x: str, y: str) -> Split:
        reviews = array(x)
        labels = array(y)
        if reviews.dtype != np.dtype(object):
            raise DataError(f"'{path}' array '{x}' has dtype '{reviews.dtype.str}'; accepted: '|O' (lists of word indices)")
        rows: List[List[int]] = []
        for i, review in enumerate(cast("List[object]", reviews.tolist())):
            if not isinstance(review, list):
                raise DataError(f"'{path}' array '{x}' item {i} is not a list of word indices")
            words = cast("List[object]", review)
            if not all(isinstance(w, int) and not isinstance(w, bool) for w in words):
                raise DataError(f"'{path}' array '{x}' item {i} is not a list of word indices")
            rows.append(cast("List[int]", words))
        if labels.ndim != 1 or labels.shape[0] != len(rows) or labels.dtype.kind not in "iu":
            raise DataError(f"'{path}' array '{y}' is not one integer label per review of '{x}'")
        bad = np.nonzero((labels != 0) & (labels != 1))[0]
        if bad.size:
            at = int(bad[0])
            raise DataError(f"'{path}' array '{y}': label {int(labels.item(at))} at index {at}; accepted: 0, 1")
        sequences = preprocess_reviews(rows, f"'{path}' array '{x}'")
        return Split(sequences, labels.astype(np.int32), len(rows), SEQUENCE_LENGTH)

    return split("x_train", "y_train"), split("x_test", "y_test")


def load_training_data(spec: TrainingCase) -> TrainingData:
    if spec.params.data == "synthetic":
        train, test = _synthetic_sizes(spec)
        make = synthetic_cifar10 if spec.workload == "cnn-cifar10" else synthetic_imdb
        return TrainingData(*make(spec.seed, train, test), kind="synthetic")
    load = load_cifar10 if spec.workload == "cnn-cifar10" else load_imdb
    return TrainingData(*load(spec.data_dir), kind="real")
