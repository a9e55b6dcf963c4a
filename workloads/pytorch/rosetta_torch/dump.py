"""Prints the seeded values this package generates, for the parity test against the TypeScript side.

    python3 -m rosetta_torch.dump FIXTURES_DIR

One JSON object: the first draws of the generator, derived seeds, and the
SHA-256 of the float32/int32 bytes (little-endian) of every seeded tensor and
prepared dataset; __tests__/workloads/pytorch/parity.test.ts computes the same
with workloads/ and src/data/ and requires bit-identical values.
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Dict, List, Sequence

import numpy as np
import numpy.typing as npt

from . import models
from .data import load_cifar10, load_imdb, synthetic_cifar10, synthetic_imdb
from .resnet50 import WEIGHTS_SEED, seeded_images, seeded_weights
from .rng import SeededRandom, derive_seed
from .training import INIT_SEED, shuffled_order


def digest(arrays: Sequence[npt.NDArray[np.generic]]) -> str:
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes())
    return h.hexdigest()


def dump(fixtures: str) -> Dict[str, object]:
    weights = seeded_weights(WEIGHTS_SEED)
    resnet: List[npt.NDArray[np.generic]] = []
    for w in weights.values():
        resnet.extend([w.kernel, w.gamma, w.beta, w.mean, w.variance])
    cnn_train, cnn_test = synthetic_cifar10(5, 130, 70)
    imdb_train, imdb_test = synthetic_imdb(5, 130, 70)
    real_cifar = load_cifar10(fixtures)
    real_imdb = load_imdb(fixtures)
    rnn = models.rnn_seeded_weights(derive_seed(INIT_SEED, "rnn-imdb"))
    return {
        "draws": SeededRandom(42).take(1000).tolist(),
        "seeds": [derive_seed(s, label) for s, label in ((0, ""), (1, "conv1"), (20171208, "layer4.2.conv3"), (7, "épée"))],
        "resnet": digest(resnet),
        "images": digest([seeded_images(3, 2, 64, 1)]),
        "cnn": digest(models.cnn_seeded_weights(derive_seed(INIT_SEED, "cnn-cifar10"))),
        "rnn": [digest([w]) for w in rnn],
        "syntheticCifar": digest([cnn_train.inputs, cnn_train.labels, cnn_test.inputs, cnn_test.labels]),
        "syntheticImdb": digest([imdb_train.inputs, imdb_train.labels, imdb_test.inputs, imdb_test.labels]),
        "order": shuffled_order(1000, derive_seed(1, "epoch/0")).tolist(),
        "realCifar": digest([real_cifar[0].inputs, real_cifar[0].labels, real_cifar[1].inputs, real_cifar[1].labels]),
        "realImdb": digest([real_imdb[0].inputs, real_imdb[0].labels, real_imdb[1].inputs, real_imdb[1].labels]),
    }


if __name__ == "__main__":
    print(json.dumps(dump(sys.argv[1])))
