/** Dataset download progress on a terminal: a live bar on a TTY, a line per 10% otherwise. */
import { describeDownload, progressStepper, renderProgressBar, type DataReporter } from "../data/progress.js";

export function terminalDataReporter(stream: NodeJS.WriteStream = process.stderr): DataReporter {
  const live = stream.isTTY;
  const step = progressStepper();
  let bar = "";
  const clear = () => {
    if (bar) stream.write("\r\x1b[2K");
    bar = "";
  };
  return {
    info: (m) => {
      clear();
      stream.write(`${m}\n`);
    },
    warning: (m) => {
      clear();
      stream.write(`warning: ${m}\n`);
    },
    downloadProgress: (p) => {
      if (!live) {
        if (step(p)) stream.write(`${describeDownload(p)}\n`);
        return;
      }
      const next = renderProgressBar(p);
      // Redraw only when the text changes: a 162 MiB download arrives in thousands of chunks.
      if (next !== bar) stream.write(`\r\x1b[2K${next}`);
      bar = next;
    },
  };
}
