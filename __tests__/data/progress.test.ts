import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { terminalDataReporter } from "../../src/cli/progress-data.js";
import { describeDownload, renderProgressBar, type DownloadProgress } from "../../src/data/progress.js";

const MIB = 1024 * 1024;
const at = (receivedBytes: number, attempt = 1): DownloadProgress => ({
  dataset: "imdb",
  file: "imdb.npz",
  url: "https://example.invalid/imdb.npz",
  attempt,
  receivedBytes,
  totalBytes: 16 * MIB,
});

/** A stream that records what is written, as a TTY or a pipe. */
function sink(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean };
  stream.isTTY = isTTY;
  let text = "";
  stream.on("data", (d: Buffer) => (text += d.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe("download progress", () => {
  it("describes a download as a line and as a bar", () => {
    expect(describeDownload(at(4 * MIB))).toBe("imdb.npz: 25% (4.0 MiB of 16.0 MiB)");
    expect(describeDownload(at(16 * MIB, 2))).toBe("imdb.npz: 100% (16.0 MiB of 16.0 MiB, try 2)");
    expect(renderProgressBar(at(8 * MIB), 10)).toBe("imdb.npz [#####-----]  50% 8.0/16.0 MiB");
  });

  it("writes a line per 10% without a TTY", async () => {
    const out = sink(false);
    const reporter = terminalDataReporter(out.stream);
    for (let received = 0; received <= 16 * MIB; received += MIB / 4) reporter.downloadProgress(at(received));
    reporter.info("done");
    await new Promise((r) => setImmediate(r));
    const lines = out.text().trim().split("\n");
    expect(lines[0]).toBe("imdb.npz: 0% (0.0 MiB of 16.0 MiB)");
    expect(lines.at(-2)).toBe("imdb.npz: 100% (16.0 MiB of 16.0 MiB)");
    expect(lines.at(-1)).toBe("done");
    expect(lines).toHaveLength(12); // 0%, 10% … 100%, then the message
  });

  it("redraws one live bar on a TTY and clears it before a message", async () => {
    const out = sink(true);
    const reporter = terminalDataReporter(out.stream);
    reporter.downloadProgress(at(0));
    reporter.downloadProgress(at(0)); // unchanged: not redrawn
    reporter.downloadProgress(at(16 * MIB));
    reporter.warning("slow mirror");
    await new Promise((r) => setImmediate(r));
    expect(out.text()).toBe(
      "\r\x1b[2Kimdb.npz [------------------------]   0% 0.0/16.0 MiB" +
        "\r\x1b[2Kimdb.npz [########################] 100% 16.0/16.0 MiB" +
        "\r\x1b[2Kwarning: slow mirror\n",
    );
  });
});
