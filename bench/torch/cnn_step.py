"""PyTorch reference for the cnn-cifar10 training step (docs/workloads.md §1).

Launched by bench/cnn-step.ts with Debian's /usr/bin/python3 (python3-torch).
Same architecture, SGD lr 0.01 momentum 0.9 (no Nesterov), softmax
cross-entropy averaged over the batch, dropout on (training mode), random
images of the real shape. Prints one JSON object: per-step seconds after
warm-up, and the settings used.

    /usr/bin/python3 bench/torch/cnn_step.py --threads 2 --batch 64 --warmup 2 --steps 5
"""

import argparse
import json
import time

import torch
from torch import nn


def cnn() -> nn.Module:
    """The reference CNN; ReLU after the pool for conv 2 and 4, as the tfjs model does."""
    layers = nn.Sequential(
        nn.Conv2d(3, 50, 3, padding=1), nn.ReLU(),
        nn.Conv2d(50, 50, 3, padding=1), nn.MaxPool2d(2, 2), nn.ReLU(), nn.Dropout(0.25),
        nn.Conv2d(50, 100, 3, padding=1), nn.ReLU(),
        nn.Conv2d(100, 100, 3, padding=1), nn.MaxPool2d(2, 2), nn.ReLU(), nn.Dropout(0.25),
        nn.Flatten(),
        nn.Linear(6400, 512), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(512, 10),
    )
    for m in layers.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return layers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args()
    # Debian's build defaults to one thread here: set it explicitly (ENVIRONMENT.md).
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = cnn().train()
    params = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=False)
    loss_fn = nn.CrossEntropyLoss()
    images = torch.rand(args.batch, 3, 32, 32)
    labels = torch.randint(0, 10, (args.batch,))

    times = []
    losses = []
    for i in range(args.warmup + args.steps):
        start = time.perf_counter()
        optimizer.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        value = loss.item()  # reading the loss back ends the step, as in the tfjs step
        elapsed = time.perf_counter() - start
        if i >= args.warmup:
            times.append(elapsed)
            losses.append(value)
    print(json.dumps({
        "framework": "pytorch",
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "parameters": params,
        "batch": args.batch,
        "stepSeconds": times,
        "losses": losses,
    }))


if __name__ == "__main__":
    main()
