/**
 * Markdown for a comparison: pure, from values only (never github.context), for
 * the terminal, the job summary and the PR comment.
 */
import { markdownTable } from "markdown-table";
import { REFERENCE_ACCURACY } from "../core/catalog.js";
import { ALPHA } from "../judge/decide.js";
import { METRICS, type MetricName } from "../core/metrics.js";
import { VERDICTS, type CaseComparison, type Comparison, type MetricComparison } from "../judge/compare.js";
import { testbedKey, type Testbed } from "../core/testbed.js";
import { renderChart } from "./chart.js";
import { renderDetailsTable } from "./details.js";
import { renderTrend } from "./trend.js";
import { VERDICT_LABELS, escapeCell, formatChange, formatNumber } from "./format.js";

export { VERDICT_LABELS, escapeCell, formatChange, formatNumber } from "./format.js";

/** GitHub rejects issue comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface RenderContext {
  profile: string;
  baselinePath: string;
  runUrl?: string;
  /** Upper bound on the report's length; the raw-figures block is cut to fit. */
  maxLength?: number;
  /** A sentence shown under the headline (a regression that went away, say). */
  notice?: string;
  /** Level of the report's heading (2); a section of a fleet report is one level down. */
  headingLevel?: number;
  /** The report's heading text (default: rosetta-bench). */
  title?: string;
  /** Why the baseline's history could not be read, where the reader can do something about it. */
  trendNote?: string;
}

function metricLabel(metric: MetricName): string {
  const info = METRICS[metric];
  return `${info.label} (${info.unit}, ${info.better} is better)`;
}

function frameworkCell(c: CaseComparison): string {
  const { baseline, current } = c.versions;
  const name = escapeCell(c.framework);
  if (baseline && current && baseline !== current) return `${name} ${escapeCell(baseline)} → ${escapeCell(current)}`;
  const v = current ?? baseline;
  return v ? `${name} ${escapeCell(v)}` : name;
}

/** The figure a case is judged on: its timing metric (median batch or step time). */
export function judgedMetric(c: CaseComparison): MetricComparison | undefined {
  return c.metrics.find((m) => METRICS[m.metric].judge === "timing");
}

/** The throughput shown beside the judged figure (images/s or samples/s). */
function throughputMetric(c: CaseComparison): MetricComparison | undefined {
  return c.metrics.find((m) => METRICS[m.metric].unit.endsWith("/s"));
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function fromTo(m: MetricComparison | undefined): string {
  if (!m || (m.baseline === undefined && m.current === undefined)) return "–";
  // Nothing to compare with (a new or not-judged case): the figure alone, not "– → x".
  if (m.baseline === undefined) return formatNumber(m.current);
  return `${formatNumber(m.baseline)} → ${formatNumber(m.current)}`;
}

/**
 * The case's verdict; where another judged figure (test accuracy) decided it
 * rather than the timing shown in the row, that figure is named beside it.
 */
function verdictCell(c: CaseComparison): string {
  const label = VERDICT_LABELS[c.verdict];
  const timing = judgedMetric(c);
  if (timing?.verdict === c.verdict) return label;
  const other = c.metrics.find((m) => m.verdict === c.verdict && METRICS[m.metric].judge !== "info");
  if (!other || other === timing) return label;
  return `${label}: ${METRICS[other.metric].label} ${formatChange(other.change, other.metric)}`;
}

/** One row per case: the judged figure baseline → current, its change, the verdict, the throughput. */
function caseRow(c: CaseComparison): string[] {
  const judged = judgedMetric(c);
  const rate = throughputMetric(c);
  return [
    frameworkCell(c),
    escapeCell(c.device),
    fromTo(judged),
    formatChange(judged?.change, judged?.metric),
    verdictCell(c),
    formatNumber(rate?.current),
  ];
}

function caseHeader(cases: readonly CaseComparison[]): string[] {
  const judged = cases.map(judgedMetric).find((m) => m !== undefined);
  const rate = cases.map(throughputMetric).find((m) => m !== undefined);
  const judgedInfo = judged ? METRICS[judged.metric] : undefined;
  const rateInfo = rate ? METRICS[rate.metric] : undefined;
  return [
    "Framework",
    "Device",
    judgedInfo ? `${capitalized(judgedInfo.label)} (${judgedInfo.unit})` : "Judged figure",
    "Change",
    "Verdict",
    rateInfo ? `${capitalized(rateInfo.label)} (${rateInfo.unit})` : "Throughput",
  ];
}

/** Every figure of a case, restated metrics included, for the collapsed details. */
function allFigureRows(c: CaseComparison): string[][] {
  const lead = [escapeCell(c.id)];
  if (c.metrics.length === 0) return [[...lead, "–", "–", "–", "–", VERDICT_LABELS[c.verdict]]];
  return c.metrics.map((m: MetricComparison) => [
    ...lead,
    metricLabel(m.metric),
    formatNumber(m.baseline),
    formatNumber(m.current),
    formatChange(m.change, m.metric),
    VERDICT_LABELS[m.verdict],
  ]);
}

export function headline(comparison: Comparison): string {
  const parts = VERDICTS.filter((v) => comparison.counts[v] > 0).map(
    (v) => `${comparison.counts[v]} ${VERDICT_LABELS[v].split(" ").slice(1).join(" ")}`,
  );
  // Nothing measured is never green: a gate that judged nothing must not look like one that passed.
  const verdict = comparison.nothingMeasured
    ? comparison.device === "gpu"
      ? "⚠️ Nothing measured on the GPU"
      : "⚠️ Nothing measured"
    : comparison.regressed
      ? "🔴 Performance regressed"
      : // A testbed the baseline has never seen was not judged at all: a green tick would say it passed.
        comparison.cases.length > 0 && comparison.cases.every((c) => c.verdict === "not-judged")
        ? "➖ Not judged (no baseline for this testbed)"
        : "✅ No regression";
  return `${verdict}: ${parts.join(", ") || "no cases"}`;
}

function testbedLine(t: Testbed, frameworks: Record<string, string>): string {
  const gpu = t.gpus.length
    ? `${t.gpus.map(escapeCell).join(", ")}${t.gpuDriver ? `, driver ${escapeCell(t.gpuDriver)}` : ""}${t.cuda ? `, CUDA ${escapeCell(t.cuda)}` : ""}`
    : "no GPU";
  const fw = Object.entries(frameworks).map(([id, v]) => `${escapeCell(id)} ${escapeCell(v)}`);
  return (
    `**Testbed:** ${escapeCell(t.cpu)} × ${t.cores} · ${gpu} · ${escapeCell(t.os)}/${escapeCell(t.arch)}` +
    (fw.length ? ` · ${fw.join(", ")}` : "")
  );
}

function workloadSection(workload: string, cases: CaseComparison[], level: number): string[] {
  const out = [
    `${"#".repeat(level)} ${escapeCell(workload)}`,
    "",
    markdownTable([caseHeader(cases), ...cases.map(caseRow)]),
  ];
  const notes = cases.filter((c) => c.note);
  if (notes.length) {
    out.push(
      "",
      ...notes.map(
        (c) =>
          `- ${frameworkCell(c)} (${escapeCell(c.device)}), ${VERDICT_LABELS[c.verdict]}: ${escapeCell(c.note ?? "")}`,
      ),
    );
  }
  out.push(...accuracyLines(cases));
  return out;
}

/**
 * Test accuracy next to the reference's range: a check that the same model was
 * trained, flagged when a full-profile run (the only one comparable with the
 * reference) falls outside it.
 */
function accuracyLines(cases: CaseComparison[]): string[] {
  const lines: string[] = [];
  for (const c of cases) {
    const accuracy = c.metrics.find((m) => m.metric === "test_accuracy")?.current;
    const range = (REFERENCE_ACCURACY as Record<string, { low: number; high: number } | undefined>)[c.workload];
    if (accuracy === undefined || !range) continue;
    const reference = `reference after the full profile: ${range.low}–${range.high}%`;
    const outside = c.profile === "full" && (accuracy < range.low || accuracy > range.high);
    const mark = c.profile !== "full" ? "ℹ️" : outside ? "⚠️" : "✅";
    const why =
      c.profile !== "full"
        ? ` (profile ${escapeCell(c.profile)} trains less: not comparable)`
        : outside
          ? ": outside the reference range"
          : "";
    lines.push(`- ${mark} ${frameworkCell(c)} test accuracy ${formatNumber(accuracy)}% (${reference})${why}`);
  }
  return lines.length ? ["", ...lines] : [];
}

function crossCheckLines(comparison: Comparison): string[] {
  if (!comparison.crossChecks.length) return [];
  return [
    "",
    "**Same model in every framework** (ResNet-50: features of one seeded input, max difference relative to the feature scale; " +
      "training: the first optimiser step from the seeded weights, its loss and per-tensor gradient, weight and update norms, max relative difference):",
    "",
    ...comparison.crossChecks.map(
      (x) =>
        `- ${x.passed ? "✅" : "❌"} ${escapeCell(x.workload)}${x.check === "first-step" ? " (first training step)" : ""}: ` +
        `${escapeCell(x.framework)} vs ${escapeCell(x.reference)}: ` +
        `${formatNumber(x.maxRelativeDifference)} (tolerance ${formatNumber(x.tolerance)})`,
    ),
  ];
}

/**
 * The collapsed block: every figure of every case (the restated ones too) and
 * the raw samples behind the judged timing. `limit` caps the rows of each table
 * (GitHub's comment size limit).
 */
function detailsBlock(comparison: Comparison, limit: number): string[] {
  const figures = comparison.cases.flatMap(allFigureRows);
  const keptFigures = figures.slice(0, limit);
  const raw = renderDetailsTable(comparison.cases, limit);
  const omitted = figures.length - keptFigures.length + raw.omitted;
  if (!keptFigures.length && !raw.table && omitted === 0) return [];
  const note = omitted
    ? [`${omitted} more rows cut to fit GitHub's comment size limit; the results file has every sample.`, ""]
    : [];
  const figuresTable = keptFigures.length
    ? [markdownTable([["Case", "Metric", "Baseline", "Current", "Change", "Verdict"], ...keptFigures]), ""]
    : [];
  return [
    "",
    "<details><summary>Every figure and the raw samples</summary>",
    "",
    ...figuresTable,
    ...(raw.table ? [raw.table, ""] : []),
    ...note,
    "</details>",
  ];
}

export function renderComparison(comparison: Comparison, context: RenderContext): string {
  const threshold = `${formatNumber(comparison.threshold * 100)}%`;
  const level = context.headingLevel ?? 2;
  const head = [
    `${"#".repeat(level)} ${context.title ?? "rosetta-bench"}`,
    "",
    `**${headline(comparison)}**`,
    ...(context.notice ? ["", escapeCell(context.notice)] : []),
    "",
    `Profile \`${escapeCell(context.profile)}\` · timing threshold ${threshold} with a rank test at p < ${ALPHA} · ` +
      `accuracy tolerance ${formatNumber(comparison.accuracyTolerance)} pp`,
    "",
    testbedLine(comparison.testbed, comparison.frameworks),
    ...(comparison.changes.length
      ? ["", `**Changed since the baseline:** ${comparison.changes.map(escapeCell).join(" · ")}`]
      : []),
  ];
  if (!comparison.hasBaseline) {
    head.push("", `No baseline at \`${escapeCell(context.baselinePath)}\`: figures are reported, not judged.`);
  } else if (!comparison.testbedInBaseline && comparison.cases.length) {
    head.push(
      "",
      `No baseline for this testbed in \`${escapeCell(context.baselinePath)}\`: figures are reported, not judged ` +
        "(`baseline update` with these results starts one).",
    );
  }
  const workloads = [...new Set(comparison.cases.map((c) => c.workload))];
  const body = workloads.flatMap((w) => [
    "",
    ...workloadSection(
      w,
      comparison.cases.filter((c) => c.workload === w),
      level + 1,
    ),
  ]);
  const chart = renderChart(comparison);
  if (chart) body.push("", chart);
  body.push(...renderTrend(comparison.cases, context.trendNote));
  const tail = [...crossCheckLines(comparison), ...(context.runUrl ? ["", `[Workflow run](${context.runUrl})`] : [])];

  const assemble = (details: string[]) => [...head, ...body, ...details, ...tail].join("\n") + "\n";
  const max = context.maxLength ?? Infinity;
  // Cut the raw figures first: the verdicts are what a reviewer needs.
  for (let limit = Infinity; ; limit = limit === Infinity ? 200 : Math.floor(limit / 2)) {
    const text = assemble(detailsBlock(comparison, limit));
    if (text.length <= max || limit === 0) return text.length <= max ? text : truncate(assemble([]), max);
  }
}

/** Last resort for a report still too long without its details: cut it, and say so. */
function truncate(text: string, max: number): string {
  const note = "\n\n…report cut to fit GitHub's size limit; the results file and the job summary have all of it.\n";
  return text.slice(0, Math.max(0, max - note.length)) + note;
}

/** GitHub refuses a job summary of more than 1 MiB for one step. */
export const JOB_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/**
 * A rendering that fits in `bytes` of UTF-8: `render(maxLength)` cuts by
 * characters, and an emoji or a non-Latin name takes several bytes, so the
 * character budget shrinks until the bytes fit.
 */
export function fitInBytes(bytes: number, render: (maxLength?: number) => string): string {
  let text = render();
  let maxLength = bytes;
  while (Buffer.byteLength(text, "utf8") > bytes && maxLength > 1000) {
    maxLength = Math.floor(Math.min(maxLength, text.length) * 0.8);
    text = render(maxLength);
  }
  return text;
}

/** A testbed's name in a headline: its GPUs, or its CPU where it has none. */
function shortTestbed(t: Testbed): string {
  return t.gpus.length ? t.gpus.join(" + ") : `${t.cpu} × ${t.cores}`;
}

/** How a testbed fared, as one mark: regressed, measured nothing, not in the baseline, or passed. */
function testbedMark(c: Comparison): string {
  if (c.nothingMeasured) return "⚠️";
  if (c.regressed) return "🔴";
  if (!c.hasBaseline || !c.testbedInBaseline) return "➖";
  return "✅";
}

export interface FleetOptions {
  runUrl?: string;
  /** Upper bound on the report's length; each testbed's section gets its share. */
  maxLength?: number;
  notice?: string;
}

/**
 * One report for several results files (a matrix over runner labels): one
 * heading that names every testbed with its mark, one headline counting across
 * them, a line per testbed, then each testbed's own report as a section. Each
 * was judged against its own baseline entries; a testbed the baseline has never
 * seen is shown, not judged.
 */
export function renderFleet(
  parts: ReadonlyArray<{ comparison: Comparison; context: RenderContext }>,
  options: FleetOptions = {},
): string {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<(typeof VERDICTS)[number], number>;
  for (const { comparison } of parts) for (const v of VERDICTS) counts[v] += comparison.counts[v];
  const shortNames = parts.map((p) => shortTestbed(p.comparison.testbed));
  // Two testbeds with the same GPUs or CPU (another OS, say) are told apart by their whole key.
  const name = (i: number) => {
    const c = parts[i]?.comparison;
    if (!c) return "";
    const short = shortNames[i] ?? "";
    return escapeCell(shortNames.filter((s) => s === short).length > 1 ? testbedKey(c.testbed) : short);
  };
  const regressed = parts.flatMap((p, i) => (p.comparison.regressed && !p.comparison.nothingMeasured ? [i] : []));
  const empty = parts.flatMap((p, i) => (p.comparison.nothingMeasured ? [i] : []));
  const tally = VERDICTS.filter((v) => counts[v] > 0)
    .map((v) => `${counts[v]} ${VERDICT_LABELS[v].split(" ").slice(1).join(" ")}`)
    .join(", ");
  const n = parts.length;
  const verdict = regressed.length
    ? `🔴 Performance regressed on ${regressed.length} of ${n} testbeds (${regressed.map(name).join(", ")})`
    : empty.length
      ? `⚠️ Nothing measured on ${empty.length} of ${n} testbeds (${empty.map(name).join(", ")})`
      : `✅ No regression on ${n} testbeds`;
  const head = [
    `## rosetta-bench on ${n} testbeds: ${parts.map((p, i) => `${testbedMark(p.comparison)} ${name(i)}`).join(" · ")}`,
    "",
    `**${verdict}: ${tally || "no cases"}**`,
    ...(options.notice ? ["", escapeCell(options.notice)] : []),
    "",
    ...parts.map(({ comparison: c }) => {
      const shown = `${c.cases.length} case${c.cases.length === 1 ? "" : "s"} shown, not judged`;
      const line =
        c.hasBaseline && !c.testbedInBaseline && c.cases.length && !c.nothingMeasured
          ? `no baseline for this testbed: ${shown}`
          : headline(c);
      return `- ${testbedMark(c)} ${escapeCell(testbedKey(c.testbed))}: ${line}`;
    }),
  ];
  const tail = options.runUrl ? ["", `[Workflow run](${options.runUrl})`] : [];
  const fixed = [...head, ...tail].join("\n").length + 2;
  const share =
    options.maxLength === undefined ? undefined : Math.floor((options.maxLength - fixed) / Math.max(1, n)) - 2;
  const sections = parts.map(({ comparison, context }) =>
    renderComparison(comparison, {
      ...context,
      runUrl: undefined,
      notice: undefined,
      headingLevel: 3,
      title: `${testbedMark(comparison)} ${escapeCell(testbedKey(comparison.testbed))}`,
      ...(share !== undefined ? { maxLength: Math.max(0, share) } : {}),
    }).trimEnd(),
  );
  return [...head, ...sections.flatMap((s) => ["", s]), ...tail].join("\n") + "\n";
}
