"""resnet50-features in PyTorch: torchvision's ResNet-50 cut after the global pool.

The weights are not torchvision's: they are the seeded weights of
workloads/resnet50/architecture.ts, drawn by the same generator in the same
order, so every framework runs the very same model and the cross-framework
features check covers PyTorch. Channels-first, eval mode, no autograd.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List, Tuple

import torch
from torch import nn

from .rng import F32, SeededRandom, derive_seed

#: Seed of the model weights (WEIGHTS_SEED in workloads/resnet50/case.ts).
WEIGHTS_SEED = 20171208
FEATURE_SIZE = 2048
#: Trainable parameters up to the pool, as the reference quotes them.
TRAINABLE_PARAMETERS = 23_508_032
_STAGES: Tuple[Tuple[int, int, int], ...] = ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2))
_EXPANSION = 4


@dataclass(frozen=True)
class ConvSpec:
    """One convolution (followed by batch norm) of the description, by its torchvision name."""

    name: str
    in_channels: int
    out_channels: int
    kernel: int
    stride: int
    #: The residual branch's last conv: its batch-norm scale is damped (see seeded_weights).
    last_in_branch: bool = False


def conv_specs() -> List[ConvSpec]:
    """Every conv+BN in execution order, as allConvBns(resnet50Spec()) lists them."""
    convs = [ConvSpec("conv1", 3, 64, 7, 2)]
    channels = 64
    for s, (width, count, first_stride) in enumerate(_STAGES):
        for b in range(count):
            name = f"layer{s + 1}.{b}"
            stride = first_stride if b == 0 else 1
            out = width * _EXPANSION
            convs.append(ConvSpec(f"{name}.conv1", channels, width, 1, 1))
            convs.append(ConvSpec(f"{name}.conv2", width, width, 3, stride))
            convs.append(ConvSpec(f"{name}.conv3", width, out, 1, 1, last_in_branch=True))
            if stride != 1 or channels != out:
                convs.append(ConvSpec(f"{name}.downsample", channels, out, 1, stride))
            channels = out
    return convs


@dataclass(frozen=True)
class ConvBnWeights:
    kernel: F32  # [out, in, k, k] flattened, row-major
    gamma: F32
    beta: F32
    mean: F32
    variance: F32


def seeded_weights(seed: int = WEIGHTS_SEED) -> Dict[str, ConvBnWeights]:
    """seededWeights(): per conv, one stream drawn in the order kernel, gamma, beta, mean, variance."""
    weights: Dict[str, ConvBnWeights] = {}
    for conv in conv_specs():
        rng = SeededRandom(derive_seed(seed, conv.name))
        fan_in = conv.in_channels * conv.kernel * conv.kernel
        limit = math.sqrt(6 / fan_in)
        n = conv.out_channels
        scale = 0.2 if conv.last_in_branch else 1.0
        weights[conv.name] = ConvBnWeights(
            kernel=rng.uniform(n * fan_in, -limit, limit),
            gamma=rng.uniform(n, 0.8 * scale, 1.2 * scale),
            beta=rng.uniform(n, -0.1, 0.1),
            mean=rng.uniform(n, -0.1, 0.1),
            variance=rng.uniform(n, 0.8, 1.2),
        )
    return weights


def seeded_images(seed: int, batch: int, size: int, index: int) -> F32:
    """seededImages(): uniform [0, 1) NCHW images, one stream per batch index."""
    return SeededRandom(derive_seed(seed, f"images/{index}")).uniform(batch * 3 * size * size)


def _torchvision_names(conv: str) -> Tuple[str, str]:
    """Our conv name → torchvision's conv and batch-norm module names."""
    if conv == "conv1":
        return "conv1", "bn1"
    if conv.endswith(".downsample"):
        return f"{conv}.0", f"{conv}.1"
    block, layer = conv.rsplit(".", 1)  # layer1.0, conv2
    return conv, f"{block}.bn{layer[-1]}"


def build_model(weights: Dict[str, ConvBnWeights]) -> nn.Module:
    """torchvision's ResNet-50 (v1.5) with our weights and its classifier replaced by the identity."""
    try:
        from torchvision.models import resnet50  # pyright: ignore[reportMissingTypeStubs]
    except ImportError as err:  # an unusable torchvision is the environment's fact
        from .protocol import FrameworkUnavailable

        raise FrameworkUnavailable(f"torchvision could not be loaded: {err}") from err
    model: nn.Module = resnet50()
    # The classifier off: the model ends at the pooled 2,048 features (ResNet types fc as Linear).
    setattr(model, "fc", nn.Identity())
    state: Dict[str, torch.Tensor] = {}
    for conv in conv_specs():
        w = weights[conv.name]
        conv_name, bn_name = _torchvision_names(conv.name)
        k = conv.kernel
        state[f"{conv_name}.weight"] = torch.from_numpy(
            w.kernel.reshape(conv.out_channels, conv.in_channels, k, k).copy()
        )
        state[f"{bn_name}.weight"] = torch.from_numpy(w.gamma.copy())
        state[f"{bn_name}.bias"] = torch.from_numpy(w.beta.copy())
        state[f"{bn_name}.running_mean"] = torch.from_numpy(w.mean.copy())
        state[f"{bn_name}.running_var"] = torch.from_numpy(w.variance.copy())
        state[f"{bn_name}.num_batches_tracked"] = torch.tensor(0)
    # strict: every tensor of the model must come from the seeded weights, and nothing else.
    model.load_state_dict(state, strict=True)
    return model.eval()


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())

