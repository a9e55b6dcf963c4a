"""GRU training step in PyTorch on the CPU, for bench/gru-step.ts.

The model of docs/workloads.md §2: Embedding 30,000 x 125, nn.GRU 100 units
(cuDNN form, two bias vectors: 3,818,302 parameters), Linear 2 logits; Adam
lr 0.001, betas (0.9, 0.999), eps 1e-8; softmax cross-entropy. Random tokens of
the real shape (timing does not depend on the data). Prints one JSON object.

    /usr/bin/python3 bench/torch/gru_step.py --warmup 2 --steps 5 --threads 2
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


class GruClassifier(nn.Module):
    def __init__(self, vocab=30_000, embedding=125, units=100, classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embedding)
        self.gru = nn.GRU(embedding, units, batch_first=True)
        self.dense = nn.Linear(units, classes)

    def forward(self, tokens):
        out, _ = self.gru(self.embedding(tokens))  # zero initial state
        return self.dense(out[:, -1, :])  # the last step's output


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()

    # Debian's PyTorch defaults to one thread on these machines: set it explicitly.
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = GruClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()
    times = []
    for i in range(args.warmup + args.steps):
        tokens = torch.randint(3, 30_000, (args.batch, 150))
        labels = torch.randint(0, 2, (args.batch,))
        start = time.perf_counter()
        optimizer.zero_grad()
        loss = loss_fn(model(tokens), labels)
        loss.backward()
        optimizer.step()
        loss.item()  # read back, as the tfjs step does
        if i >= args.warmup:
            times.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                "parameters": sum(p.numel() for p in model.parameters()),
                "times": times,
                "median": statistics.median(times),
            }
        )
    )


if __name__ == "__main__":
    main()
