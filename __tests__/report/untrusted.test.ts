/**
 * Untrusted text (a framework's error message, a path, a results file from a
 * fork) in the report, checked with a real GFM parser (micromark and its GFM
 * extension, what GitHub's renderer follows): whatever the text, it stays one
 * cell of one row, and creates no heading, link, image, code span or emphasis.
 */
import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";
import { describe, expect, it } from "vitest";
import { escapeCell, formatChange, plainLine } from "../../src/report/format.js";
import { SeededRandom } from "../../workloads/rng.js";
import { compareWithBaseline } from "../../src/judge/compare.js";
import { fitInBytes, JOB_SUMMARY_LIMIT_BYTES, renderComparison } from "../../src/report/markdown.js";
import { COMPARE_DEFAULTS, ENVIRONMENT, okCase, results } from "../helpers.js";
import { mergeIntoBaseline } from "../../src/store/baseline-file.js";

const render = (markdown: string) => micromark(markdown, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });

/** Fragments that mean something to markdown, GitHub or a terminal. */
const PIECES = [
  "\r",
  "\n",
  "\r\n",
  "\u2028",
  "\u0085",
  "|",
  "\\",
  "`",
  "``",
  "*",
  "_",
  "~~",
  "[",
  "]",
  "(",
  ")",
  "!",
  "#",
  "# ",
  "## heading",
  "<",
  ">",
  "<img src=x>",
  "&",
  "&amp;",
  "@",
  "@team",
  "#123",
  "https://evil.example/x",
  "www.evil.example",
  "[a](https://x)",
  "![i](https://x/i.png)",
  "<https://x>",
  "\u001b[31m",
  "\u001b]8;;https://x\u0007",
  "\u0000",
  "\t",
  "-",
  "+",
  "1.",
  ">",
  "---",
  "=",
  "a",
  "b",
  " ",
  "é",
  "🔴",
  "\u200b",
];

function randomText(rng: SeededRandom): string {
  const count = 1 + Math.floor(rng.next() * 12);
  return Array.from({ length: count }, () => PIECES[Math.floor(rng.next() * PIECES.length)]).join("");
}

describe("untrusted text in the report", () => {
  it("stays inside its cell, whatever it holds (2,000 seeded random strings)", () => {
    const rng = new SeededRandom(20261204);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(rng);
      const cell = escapeCell(text);
      const html = render(`| case | reason |\n| --- | --- |\n| x | ${cell} |\n\n- x: ${cell}\n`);
      const context = `input ${JSON.stringify(text)} → ${JSON.stringify(cell)}`;
      expect(html.match(/<table>/g), context).toHaveLength(1);
      expect(html.match(/<tr>/g), context).toHaveLength(2);
      expect(html.match(/<td>/g), context).toHaveLength(2);
      expect(html.match(/<li>/g), context).toHaveLength(1);
      expect(html, context).not.toMatch(/<(h\d|a |img|code|em|strong|del|script|blockquote|hr)\b/);
      // What GitHub links beyond GFM: mentions and issue references.
      expect(cell, context).not.toMatch(/@\w|#\d/);
      // eslint-disable-next-line no-control-regex
      expect(cell, context).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028]/);
    }
  });

  it("reaches a terminal without control sequences", () => {
    expect(plainLine("ok\u001b[2J\u001b]8;;https://x\u0007link\rover\nwritten")).toBe(
      "ok[2J]8;;https://xlink over written",
    );
  });

  it("formats absurd changes as a ratio, never as Infinity", () => {
    expect(formatChange(1e300)).toBe("1.00e+300×");
    expect(formatChange(9.5)).toBe("+950.0%");
    expect(formatChange(1e4)).toBe("10000×");
  });
});

describe("the job summary", () => {
  it("fits GitHub's 1 MiB limit in bytes, even when names take several bytes a character", () => {
    const cases = Array.from({ length: 2500 }, (_, i) => okCase(`框架-${i}-🔴🔴🔴`, 10 + (i % 7)));
    const comparison = compareWithBaseline(results(cases), undefined, COMPARE_DEFAULTS);
    const render = (maxLength?: number) =>
      renderComparison(comparison, { profile: "smoke", baselinePath: "b.json", ...(maxLength ? { maxLength } : {}) });
    expect(Buffer.byteLength(render(), "utf8")).toBeGreaterThan(JOB_SUMMARY_LIMIT_BYTES);
    const fitted = fitInBytes(JOB_SUMMARY_LIMIT_BYTES, render);
    expect(Buffer.byteLength(fitted, "utf8")).toBeLessThanOrEqual(JOB_SUMMARY_LIMIT_BYTES);
    expect(fitted).toContain("**✅ No regression: 2500 new**");
  });
});

describe("a whole report built from hostile results", () => {
  it("keeps every table row at its header's column count, with no link, image or mention (300 seeded runs)", () => {
    const rng = new SeededRandom(4242);
    const long = () => (rng.next() < 0.1 ? "x".repeat(2000) : "");
    for (let i = 0; i < 300; i++) {
      const name = `fw${randomText(rng)}${long()}`;
      const env = {
        ...ENVIRONMENT,
        cpu: { model: randomText(rng), cores: 2 },
        gpus: [{ name: randomText(rng), driver: randomText(rng) }],
        frameworks: { [name]: randomText(rng) },
      };
      const cases = [
        okCase(name, 10, { framework: { id: name, version: randomText(rng), backend: randomText(rng) } }),
        {
          ...okCase(`${name}-b`, 2),
          status: "failed" as const,
          reason: randomText(rng) + long(),
          metrics: {},
          samples: {},
        },
        {
          ...okCase(`${name}-c`, 2),
          status: "unavailable" as const,
          reason: randomText(rng),
          metrics: {},
          samples: {},
        },
      ];
      const baseline = mergeIntoBaseline(
        undefined,
        results([okCase(name, 12, { framework: { id: name, version: randomText(rng) } })], env),
      );
      const html = render(
        renderComparison(compareWithBaseline(results(cases, env), baseline, COMPARE_DEFAULTS), {
          profile: randomText(rng),
          baselinePath: randomText(rng),
        }),
      );
      const context = `run ${i}: framework ${JSON.stringify(name.slice(0, 80))}`;
      for (const table of html.split("<table>").slice(1)) {
        const body = table.slice(0, table.indexOf("</table>"));
        const columns = (body.slice(0, body.indexOf("</thead>")).match(/<th[ >]/g) ?? []).length;
        for (const row of body.split("<tr>").slice(2)) {
          expect((row.match(/<td[ >]/g) ?? []).length, context).toBe(columns);
        }
      }
      expect(html, context).not.toMatch(/<(a|img)\b/);
      // Mentions do not work inside code blocks (the Mermaid chart is one).
      expect(html.replace(/<pre>[\s\S]*?<\/pre>/g, ""), context).not.toMatch(/@\w/);
      // Nothing breaks out of the chart's code block: one heading, one chart.
      expect(html.match(/<h2>/g), context).toHaveLength(1);
    }
  });
});
