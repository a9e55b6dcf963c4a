"""A training case (cnn-cifar10, rnn-imdb) in PyTorch: the loop of workloads/training/run.ts.

Complete batches only, the training set reshuffled every epoch by the shared
seeded permutation, the wall time of the whole loop (first epoch included),
step-time samples averaged over windows after the warm-up windows, then test
accuracy with dropout off. Before the loop, and outside its time, the
first-step check: a fresh model from the same seeded weights takes one
optimiser step on the first training batch with dropout off, and its loss,
gradient norms and weight norms are the probe every framework must agree on.
"""

from __future__ import annotations

import math
import statistics
from typing import Dict, List, Tuple, Union

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from . import models
from .data import Split, TrainingData, load_training_data
from .protocol import Detail, Emit, Message, framework_info, progress, result, sample
from .rng import SeededRandom, derive_seed
from .runtime import Runtime
from .spec import TrainingCase

#: Seed of the initial weights (INIT_SEED in workloads/training/case.ts).
INIT_SEED = 20180315

Batch = Union[npt.NDArray[np.float32], npt.NDArray[np.int32]]


def shuffled_order(count: int, seed: int) -> npt.NDArray[np.int64]:
    """shuffledOrder(): Fisher–Yates from the end, j = floor(next() · (i + 1))."""
    order = np.arange(count, dtype=np.int64)
    if count < 2:
        return order
    draws = SeededRandom(seed).take(count - 1)
    bounds = np.arange(count, 1, -1, dtype=np.float64)  # i + 1 for i = count − 1 … 1
    picks = np.floor(draws * bounds).astype(np.int64).tolist()
    for k, j in enumerate(picks):
        i = count - 1 - k
        order[i], order[j] = order[j], order[i]
    return order


def steps_per_epoch(spec: TrainingCase, train: Split) -> int:
    available = train.count // spec.params.batch_size
    wanted = spec.params.steps_per_epoch
    steps = available if wanted is None else min(wanted, available)
    if steps < 1:
        raise ValueError(f"the training set has {train.count} samples: not one complete batch of {spec.params.batch_size}")
    return steps


class Trainer:
    """One model with its optimiser on the runtime's device."""

    def __init__(self, workload: str, seed: int, runtime: Runtime) -> None:
        self.workload = workload
        self.device = runtime.device
        if workload == "cnn-cifar10":
            self.model: nn.Module = models.seeded_cnn(seed).to(self.device)
            self.optimizer: torch.optim.Optimizer = torch.optim.SGD(
                self.model.parameters(), lr=models.CNN_LEARNING_RATE, momentum=models.CNN_MOMENTUM, nesterov=False
            )
            expected = models.CNN_PARAMETERS
        else:
            self.model = models.seeded_gru(seed).to(self.device)
            self.optimizer = torch.optim.Adam(
                self.model.parameters(), lr=models.ADAM_LEARNING_RATE, betas=models.ADAM_BETAS, eps=models.ADAM_EPSILON
            )
            expected = models.GRU_PARAMETERS
        self.parameter_count = models.count_parameters(self.model)
        if self.parameter_count != expected:
            raise RuntimeError(f"{workload} built with {self.parameter_count} parameters, expected {expected}")
        self.loss_fn = nn.CrossEntropyLoss()
        runtime.prove(self.model.parameters(), f"{workload}'s weights")
        self.runtime = runtime
        self.proven = False

    def tensors(self, inputs: Batch, labels: npt.NDArray[np.int32]) -> Tuple[torch.Tensor, torch.Tensor]:
        n = labels.shape[0]
        if self.workload == "cnn-cifar10":
            x = torch.from_numpy(np.ascontiguousarray(inputs, dtype=np.float32).reshape(n, 3, 32, 32))
        else:
            x = torch.from_numpy(np.asarray(inputs, dtype=np.int64).reshape(n, -1))
        y = torch.from_numpy(labels.astype(np.int64))
        return x.to(self.device), y.to(self.device)

    def loss(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        self.optimizer.zero_grad(set_to_none=True)
        loss = self.loss_fn(self.model(x), y)
        loss.backward()
        return loss

    def train_step(self, inputs: Batch, labels: npt.NDArray[np.int32]) -> float:
        x, y = self.tensors(inputs, labels)
        loss = self.loss(x, y)
        if not self.proven:
            grads = [q.grad for q in self.model.parameters() if q.grad is not None]
            self.runtime.prove([loss, *grads], f"{self.workload}'s training step")
            self.proven = True
        self.optimizer.step()
        return float(loss.item())  # reading the loss back ends the step, as the tfjs step does

    def evaluate(self, inputs: Batch, labels: npt.NDArray[np.int32]) -> int:
        x, y = self.tensors(inputs, labels)
        self.model.eval()
        try:
            with torch.no_grad():
                return int((self.model(x).argmax(dim=1) == y).sum().item())
        finally:
            self.model.train()


def _norm(t: torch.Tensor) -> float:
    return float(t.detach().double().norm().item())


def first_step_probe(workload: str, seed: int, train: Split, batch_size: int, runtime: Runtime) -> List[float]:
    """[loss, ‖gradient‖ per tensor, ‖weights after the step‖ per tensor, ‖update‖ per tensor].

    Tensors in nn.Module.parameters() order (the tfjs side lists its variables in
    the same order); norms are the same whatever each framework's layout.
    """
    trainer = Trainer(workload, seed, runtime)
    trainer.model.eval()  # dropout off: masks cannot match across frameworks
    x, y = trainer.tensors(*train.batch(range(batch_size)))
    params = list(trainer.model.parameters())
    before = [p.detach().clone() for p in params]
    loss = trainer.loss(x, y)
    grads = [_norm(p.grad) if p.grad is not None else 0.0 for p in params]
    trainer.optimizer.step()
    weights = [_norm(p) for p in params]
    updates = [_norm(p.detach() - b) for p, b in zip(params, before)]
    return [float(loss.item()), *grads, *weights, *updates]


def run_loop(
    spec: TrainingCase, trainer: Trainer, data: TrainingData, runtime: Runtime, emit: Emit
) -> Tuple[Dict[str, float], float, float]:
    p = spec.params
    steps = steps_per_epoch(spec, data.train)
    samples: List[float] = []
    window_sum = 0.0
    in_window = 0
    window_index = 0
    first_loss = math.nan
    last_loss = math.nan
    start = runtime.clock()
    for epoch in range(p.epochs):
        order = shuffled_order(data.train.count, derive_seed(spec.seed, f"epoch/{epoch}"))
        for s in range(steps):
            t0 = runtime.clock()
            inputs, labels = data.train.batch(order[s * p.batch_size : (s + 1) * p.batch_size].tolist())
            last_loss = trainer.train_step(inputs, labels)
            window_sum += runtime.clock() - t0
            if math.isnan(first_loss):
                first_loss = last_loss
            if not math.isfinite(last_loss):
                raise RuntimeError(f"the loss became {last_loss} at epoch {epoch + 1}, step {s + 1}")
            in_window += 1
            if in_window == p.window:
                if window_index >= p.warmup_windows:
                    samples.append(window_sum / p.window)
                    emit(sample("step_s", window_sum / p.window))
                window_index += 1
                window_sum = 0.0
                in_window = 0
                done = epoch * steps + s + 1
                emit(progress("train", done, p.epochs * steps, f"loss {last_loss:.4f}"))
    train_s = runtime.clock() - start
    metrics: Dict[str, float] = {"train_s": train_s, "samples_per_s": p.epochs * steps * p.batch_size / train_s}
    if samples:
        metrics["step_s_median"] = statistics.median(samples)
    accuracy = evaluate(spec, trainer, data.test, emit)
    if accuracy is not None:
        metrics["test_accuracy"] = accuracy
    return metrics, first_loss, last_loss


def evaluate(spec: TrainingCase, trainer: Trainer, test: Split, emit: Emit) -> Union[float, None]:
    b = spec.params.batch_size
    available = test.count // b
    batches = available if spec.params.test_batches is None else min(spec.params.test_batches, available)
    if batches < 1:
        return None
    correct = 0
    for i in range(batches):
        correct += trainer.evaluate(*test.batch(range(i * b, (i + 1) * b)))
        emit(progress("evaluate", i + 1, batches))
    return 100 * correct / (batches * b)


def run_training_case(spec: TrainingCase, runtime: Runtime, emit: Emit) -> Message:
    emit(progress("data", 0, 1, f"{spec.params.data} data"))
    data = load_training_data(spec)
    emit(progress("build", 0, 1))
    seed = derive_seed(INIT_SEED, spec.workload)
    probe = first_step_probe(spec.workload, seed, data.train, spec.params.batch_size, runtime) if (
        data.train.count >= spec.params.batch_size
    ) else None
    # Dropout masks come from torch's generator, seeded so a run repeats itself.
    torch.manual_seed(derive_seed(seed, "dropout"))
    trainer = Trainer(spec.workload, seed, runtime)
    trainer.model.train()
    metrics, first_loss, last_loss = run_loop(spec, trainer, data, runtime, emit)
    details: Dict[str, Detail] = {**runtime.details, "data": data.kind, "firstLoss": first_loss, "lastLoss": last_loss}
    if spec.workload == "rnn-imdb":
        details["gru"] = "nn.GRU (cuDNN form)" if runtime.device.type == "cuda" else "nn.GRU"
    return result(framework_info(torch.__version__, runtime.backend, details), trainer.parameter_count, metrics, probe)

