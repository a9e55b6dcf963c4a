"""The resnet50-features timing loop of workloads/resnet50/run.ts, in PyTorch.

One untimed warm-up pass over all batches, then one timed pass with every batch
timed on its own: from handing the host batch over to having its features back
in host memory (on a GPU the clock is read only after torch.cuda.synchronize()).
"""

from __future__ import annotations

import statistics
from typing import List

import torch

from .protocol import Emit, framework_info, progress, result, sample
from .resnet50 import TRAINABLE_PARAMETERS, WEIGHTS_SEED, build_model, count_parameters, seeded_images, seeded_weights
from .runtime import Runtime
from .spec import FeatureCase

#: Distinct input batches held in memory (INPUT_POOL); the full profile's 40 batches cycle over them.
INPUT_POOL = 4
#: Images of the first batch whose features are the cross-framework probe (PROBE_IMAGES).
PROBE_IMAGES = 2


def run_features(spec: FeatureCase, runtime: Runtime, emit: Emit) -> dict[str, object]:
    p = spec.params
    emit(progress("build", 0, 1, "seeding weights"))
    model = build_model(seeded_weights(WEIGHTS_SEED)).to(runtime.device)
    parameters = count_parameters(model)
    if parameters != TRAINABLE_PARAMETERS:
        raise RuntimeError(f"ResNet-50 built with {parameters} parameters, expected {TRAINABLE_PARAMETERS}")
    runtime.prove(model.parameters(), "ResNet-50's weights")
    emit(progress("build", 1, 1))
    shape = (p.batch_size, 3, p.image_size, p.image_size)
    pool = [
        torch.from_numpy(seeded_images(spec.seed, p.batch_size, p.image_size, i).reshape(shape))
        for i in range(min(p.batches, INPUT_POOL))
    ]
    probe: List[float] = []

    proven = False

    def infer(i: int) -> torch.Tensor:
        nonlocal proven
        with torch.no_grad():
            features = model(pool[i % len(pool)].to(runtime.device))
            if not proven:
                runtime.prove([features], "ResNet-50's forward pass")
                proven = True
            return features.cpu()

    def keep_probe(features: torch.Tensor) -> None:
        if not probe:
            probe.extend(float(v) for v in features[: min(p.batch_size, PROBE_IMAGES)].reshape(-1).tolist())

    for pass_index in range(p.warmup_passes):
        for i in range(p.batches):
            keep_probe(infer(i))
            emit(progress("warmup", pass_index * p.batches + i + 1, p.warmup_passes * p.batches))

    times: List[float] = []
    start = runtime.clock()
    for i in range(p.batches):
        t0 = runtime.clock()
        features = infer(i)
        seconds = runtime.clock() - t0
        keep_probe(features)
        times.append(seconds)
        emit(sample("batch_s", seconds))
        emit(progress("measure", i + 1, p.batches))
    wall = runtime.clock() - start
    images = p.batch_size * p.batches
    details = {**runtime.details, "batchNorm": "eval mode (running statistics)", "model": "torchvision resnet50, fc = identity"}
    return result(
        framework_info(torch.__version__, runtime.backend, details),
        parameters,
        {
            "images_per_s": images / wall,
            "batch_s_median": statistics.median(times),
            "s_per_1000_images": 1000 * wall / images,
        },
        probe,
    )
