"""The two trained models in PyTorch, with the Node side's seeded initial weights.

cnn-cifar10 (docs/workloads.md §1): channels-first convolutions, as the
reference wrote it for PyTorch; weights drawn in PyTorch's own layouts by
cnnSeededWeights (workloads/cnn/architecture.ts). rnn-imdb (§2): Embedding →
nn.GRU (cuDNN's form: 3,818,302 parameters) → Linear; weights from
seededRnnWeights (workloads/rnn/init.ts), whose Keras layout (kernels [in, out],
gates z, r, h) is rearranged once into nn.GRU's ([out, in], gates r, z, n).
"""

from __future__ import annotations

import math
from typing import List, Tuple

import numpy as np
import torch
from torch import nn

from .rng import F32, SeededRandom, derive_seed, glorot_uniform

CNN_PARAMETERS = 3_441_592
GRU_PARAMETERS = 3_818_302
CNN_LEARNING_RATE = 0.01
CNN_MOMENTUM = 0.9
ADAM_LEARNING_RATE = 0.001
ADAM_BETAS = (0.9, 0.999)
ADAM_EPSILON = 1e-8
EMBEDDING_INIT_LIMIT = 0.05
#: (name, in, out, kernel) of the four convolutions; (name, in, out) of the two dense layers.
CNN_CONVS = (("conv1", 3, 50, 3), ("conv2", 50, 50, 3), ("conv3", 50, 100, 3), ("conv4", 100, 100, 3))
CNN_DENSES = (("dense1", 6400, 512), ("dense2", 512, 10))
RNN_DIMS = {"vocab": 30_000, "embedding": 125, "units": 100, "classes": 2}


def cnn() -> nn.Sequential:
    """The reference CNN; ReLU after the pool for conv 2 and 4, as the tfjs model (same result)."""
    return nn.Sequential(
        nn.Conv2d(3, 50, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(50, 50, 3, padding=1),
        nn.MaxPool2d(2, 2),
        nn.ReLU(),
        nn.Dropout(0.25),
        nn.Conv2d(50, 100, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(100, 100, 3, padding=1),
        nn.MaxPool2d(2, 2),
        nn.ReLU(),
        nn.Dropout(0.25),
        nn.Flatten(),
        nn.Linear(6400, 512),
        nn.ReLU(),
        nn.Dropout(0.5),
        nn.Linear(512, 10),
    )


def cnn_seeded_weights(seed: int) -> List[F32]:
    """cnnSeededWeights(): Glorot-uniform kernels (OIHW, [out, in]) and zero biases, in parameters() order."""
    out: List[F32] = []
    for name, cin, cout, k in CNN_CONVS:
        area = k * k
        out.append(glorot_uniform(derive_seed(seed, name), cout * cin * area, cin * area, cout * area))
        out.append(np.zeros(cout, dtype=np.float32))
    for name, fin, fout in CNN_DENSES:
        out.append(glorot_uniform(derive_seed(seed, name), fout * fin, fin, fout))
        out.append(np.zeros(fout, dtype=np.float32))
    return out


class GruClassifier(nn.Module):
    """Embedding → nn.GRU (zero initial state, last step's output) → Linear logits."""

    def __init__(self, vocab: int, embedding: int, units: int, classes: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab, embedding)
        self.gru = nn.GRU(embedding, units, batch_first=True)
        self.dense = nn.Linear(units, classes)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        out, _ = self.gru(self.embedding(tokens))
        return self.dense(out[:, -1, :])


def _normals(rng: SeededRandom, count: int) -> List[float]:
    """Box–Muller as workloads/rnn/init.ts draws it, one scalar at a time (libm's log/cos/sin, as V8's)."""
    u = rng.take(count + (count & 1)).tolist()
    out: List[float] = []
    for i in range(0, count, 2):
        radius = math.sqrt(-2 * math.log(1 - u[i]))
        angle = 2 * math.pi * u[i + 1]
        out.append(radius * math.cos(angle))
        if i + 1 < count:
            out.append(radius * math.sin(angle))
    return out


def orthogonal_rows(seed: int, rows: int, cols: int) -> F32:
    """orthogonalRows(): modified Gram–Schmidt on a Gaussian matrix, summed in the same order."""
    if rows > cols:
        raise ValueError(f"orthogonal_rows: {rows} rows cannot be orthonormal in {cols} columns")
    m = np.array(_normals(SeededRandom(seed), rows * cols), dtype=np.float64).reshape(rows, cols)
    for i in range(rows):
        vi = m[i]
        for j in range(i):
            vj = m[j]
            # np.cumsum adds left to right, as the TypeScript loop does (np.sum would pair).
            dot = float(np.cumsum(vi * vj)[-1])
            vi -= dot * vj
        norm = math.sqrt(float(np.cumsum(vi * vi)[-1]))
        vi /= norm
    return m.astype(np.float32).reshape(-1)


def rnn_seeded_weights(seed: int, vocab: int = 30_000, embedding: int = 125, units: int = 100, classes: int = 2) -> List[F32]:
    """seededRnnWeights() in the Keras layout: embedding, kernel, recurrent kernel, two biases, dense."""

    def s(label: str) -> int:
        return derive_seed(seed, f"rnn/{label}")

    return [
        SeededRandom(s("embedding")).uniform(vocab * embedding, -EMBEDDING_INIT_LIMIT, EMBEDDING_INIT_LIMIT),
        glorot_uniform(s("gru/kernel"), embedding * 3 * units, embedding, 3 * units),
        orthogonal_rows(s("gru/recurrent_kernel"), units, 3 * units),
        np.zeros(3 * units, dtype=np.float32),
        np.zeros(3 * units, dtype=np.float32),
        glorot_uniform(s("dense/kernel"), units * classes, units, classes),
        np.zeros(classes, dtype=np.float32),
    ]


def keras_gates_to_torch(kernel: F32, rows: int, units: int) -> F32:
    """[rows, 3·units] with gates z, r, h (Keras) → [3·units, rows] with gates r, z, n (nn.GRU)."""
    k = kernel.reshape(rows, 3 * units)
    z, r, h = k[:, :units], k[:, units : 2 * units], k[:, 2 * units :]
    return np.ascontiguousarray(np.concatenate([r, z, h], axis=1).T)


def keras_bias_to_torch(bias: F32, units: int) -> F32:
    return np.concatenate([bias[units : 2 * units], bias[:units], bias[2 * units :]])


def _assign(params: List[nn.Parameter], values: List[Tuple[F32, Tuple[int, ...]]]) -> None:
    if len(params) != len(values):
        raise RuntimeError(f"{len(params)} parameters, {len(values)} seeded tensors")
    with torch.no_grad():
        for p, (v, shape) in zip(params, values):
            if tuple(p.shape) != shape:
                raise RuntimeError(f"a parameter of shape {tuple(p.shape)} got seeded values of shape {shape}")
            p.copy_(torch.from_numpy(v.reshape(shape).copy()))


def seeded_cnn(seed: int) -> nn.Sequential:
    model = cnn()
    params = list(model.parameters())
    _assign(params, [(w, tuple(p.shape)) for w, p in zip(cnn_seeded_weights(seed), params)])
    return model


def seeded_gru(seed: int, vocab: int = 30_000, embedding: int = 125, units: int = 100, classes: int = 2) -> GruClassifier:
    model = GruClassifier(vocab, embedding, units, classes)
    emb, kernel, recurrent, bias_i, bias_h, dense, dense_bias = rnn_seeded_weights(seed, vocab, embedding, units, classes)
    _assign(
        list(model.parameters()),
        [
            (emb, (vocab, embedding)),
            (keras_gates_to_torch(kernel, embedding, units), (3 * units, embedding)),
            (keras_gates_to_torch(recurrent, units, units), (3 * units, units)),
            (keras_bias_to_torch(bias_i, units), (3 * units,)),
            (keras_bias_to_torch(bias_h, units), (3 * units,)),
            (np.ascontiguousarray(dense.reshape(units, classes).T), (classes, units)),
            (dense_bias, (classes,)),
        ],
    )
    return model


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
