/**
 * The first-step check (docs/workloads.md, "the same model in training"): a fresh
 * model from the shared seeded weights takes ONE optimiser step on the first
 * training batch with dropout off, and reports
 *   [loss, ‖gradient‖ per tensor, ‖weights after the step‖ per tensor, ‖update‖ per tensor]
 * with tensors in the canonical order (PyTorch's parameters() order). Norms do
 * not depend on a framework's layout, so every framework's probe compares value
 * for value (src/run/cross-check.ts). Norms are summed in float64 on the host.
 */
import type * as tfType from "@tensorflow/tfjs";

type Tf = typeof tfType;

function norm(values: ArrayLike<number>, minus?: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]! - (minus ? minus[i]! : 0);
    sum += v * v;
  }
  return Math.sqrt(sum);
}

export async function firstStepProbe(
  tf: Tf,
  variables: readonly tfType.Variable[],
  loss: () => tfType.Scalar,
  optimizer: tfType.Optimizer,
): Promise<number[]> {
  const before = await Promise.all(variables.map(async (v) => Float32Array.from(await v.data())));
  const { value, grads } = tf.variableGrads(loss, [...variables]);
  try {
    const gradNorms = await Promise.all(
      variables.map(async (v) => {
        const g = grads[v.name];
        return g ? norm(await g.data()) : 0;
      }),
    );
    optimizer.applyGradients(grads);
    const after = await Promise.all(variables.map((v) => v.data()));
    return [
      (await value.data())[0]!,
      ...gradNorms,
      ...after.map((a) => norm(a)),
      ...after.map((a, i) => norm(a, before[i])),
    ];
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads));
  }
}
