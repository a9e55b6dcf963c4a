/** ResNet-50's layer table for `rosetta-bench describe`: one row per stage element, from the description. */
import { FEATURE_SIZE, resnet50Spec, type ConvBnSpec } from "./architecture.js";

import type { LayerRow } from "../layer-row.js";

export type { LayerRow };

const params = (l: ConvBnSpec) => l.conv.outChannels * l.conv.inChannels * l.conv.kernel ** 2 + 2 * l.conv.outChannels;

/** Rows for an input of `size`×`size`: the stem, the pool, each bottleneck, the global pool. */
export function resnet50LayerTable(size = 224): LayerRow[] {
  const spec = resnet50Spec();
  const out = (n: number, stride: number, pad: number, k: number) => Math.floor((n + 2 * pad - k) / stride) + 1;
  let hw = out(size, spec.stem.conv.stride, spec.stem.conv.pad, spec.stem.conv.kernel);
  const rows: LayerRow[] = [
    {
      name: "conv1",
      kind: "Conv2D+BatchNorm+ReLU",
      output: `64×${hw}×${hw}`,
      parameters: params(spec.stem),
      settings: "7×7, stride 2, pad 3",
    },
  ];
  hw = out(hw, spec.pool.stride, spec.pool.pad, spec.pool.kernel);
  rows.push({
    name: "maxpool",
    kind: "MaxPool",
    output: `64×${hw}×${hw}`,
    parameters: 0,
    settings: "3×3, stride 2, pad 1",
  });
  for (const block of spec.blocks) {
    const stride = block.main[1].conv.stride;
    hw = out(hw, stride, 1, 3);
    const p = block.main.reduce((a, l) => a + params(l), 0) + (block.shortcut ? params(block.shortcut) : 0);
    const widths = block.main.map((l) => l.conv.outChannels).join("-");
    rows.push({
      name: block.name,
      kind: "Bottleneck",
      output: `${block.main[2].conv.outChannels}×${hw}×${hw}`,
      parameters: p,
      settings: `1×1/3×3/1×1 (${widths})${stride > 1 ? `, stride ${stride}` : ""}${block.shortcut ? ", projection shortcut" : ""}`,
    });
  }
  rows.push({
    name: "avgpool",
    kind: "GlobalAveragePool",
    output: String(FEATURE_SIZE),
    parameters: 0,
    settings: "features",
  });
  return rows;
}
