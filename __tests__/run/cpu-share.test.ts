import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  MIN_WINDOW_TICKS,
  othersShare,
  parseOwnTicks,
  parseProcStat,
  readCpuTicks,
  startCpuWatch,
  type CpuTicks,
} from "../../src/run/cpu-share.js";

// Lines as Linux prints them (proc(5)): this machine's, copied once.
const PROC_STAT =
  "cpu  1030687 652 250031 1503691 3317 0 5542 0 0 0\ncpu0 515000 300 125000 751000 1600 0 2700 0 0 0\n";
const SELF_STAT =
  "8204 (cat) R 8202 8202 4957 0 -1 4194304 98 0 0 0 21 7 3 4 20 0 1 0 1402151 3133440 390 18446744073709551615 0 0 0";

/** A node child that burns `cpuS` seconds of its own CPU, says so on stdout, then waits `holdMs` before exiting. */
const BURN = (cpuS: number, holdMs: number) =>
  `const t=process.cpuUsage();while((process.cpuUsage(t).user+process.cpuUsage(t).system)/1e6<${cpuS}){}` +
  `process.stdout.write("burnt\\n");setTimeout(()=>{},${holdMs});`;

describe("CPU share: parsing /proc", () => {
  it("reads the machine's busy and total ticks from the cpu line (guest time is not counted twice)", () => {
    // busy = user + nice + system + irq + softirq + steal; total adds idle and iowait.
    expect(parseProcStat(PROC_STAT)).toEqual({
      busy: 1030687 + 652 + 250031 + 0 + 5542 + 0,
      total: 1030687 + 652 + 250031 + 0 + 5542 + 0 + 1503691 + 3317,
    });
  });

  it("refuses what is not a /proc/stat cpu line", () => {
    expect(parseProcStat("")).toBeUndefined();
    expect(parseProcStat("cpu0 1 2 3 4 5 6 7 8")).toBeUndefined();
    expect(parseProcStat("cpu 1 2 3")).toBeUndefined();
    expect(parseProcStat("cpu 1 2 x 4 5 6 7 8")).toBeUndefined();
  });

  it("sums utime, stime, cutime and cstime, whatever the command name holds", () => {
    expect(parseOwnTicks(SELF_STAT)).toBe(21 + 7 + 3 + 4);
    // A command name with spaces and parentheses: fields resume after the last ')'.
    expect(parseOwnTicks(SELF_STAT.replace("(cat)", "(a) b (c))"))).toBe(35);
    expect(parseOwnTicks("8204 cat R 1 2")).toBeUndefined();
    expect(parseOwnTicks("8204 (cat) R 8202 8202")).toBeUndefined();
  });

  it.runIf(process.platform === "linux")("parses this machine's own /proc files", () => {
    expect(parseProcStat(readFileSync("/proc/stat", "utf8"))?.total).toBeGreaterThan(0);
    expect(parseOwnTicks(readFileSync("/proc/self/stat", "utf8"))).toBeGreaterThanOrEqual(0);
  });
});

describe("CPU share: others' share between two readings", () => {
  const at = (busy: number, total: number, own: number): CpuTicks => ({ busy, total, own });

  it("is the machine's busy time less this process's, over the machine's capacity", () => {
    // 400 ticks of capacity (2 CPUs × 2 s): 300 busy, 200 of them ours → others took a quarter.
    expect(othersShare(at(1000, 5000, 50), at(1300, 5400, 250))).toBe(0.25);
    expect(othersShare(at(1000, 5000, 50), at(1200, 5400, 250))).toBe(0);
  });

  it("clamps to 0–1 and measures nothing over a window too short to mean anything", () => {
    expect(othersShare(at(0, 0, 100), at(150, 200, 100 + 200))).toBe(0); // own ticks landed late
    expect(othersShare(at(0, 0, 0), at(300, 200, 0))).toBe(1);
    expect(othersShare(at(0, 0, 0), at(MIN_WINDOW_TICKS - 1, MIN_WINDOW_TICKS - 1, 0))).toBeUndefined();
    expect(othersShare(at(0, 5, 0), at(0, 5, 0))).toBeUndefined();
  });

  it("measures nothing where /proc cannot be read", () => {
    expect(startCpuWatch(() => undefined).stop()).toBeUndefined();
  });
});

describe.runIf(process.platform === "linux")("CPU share on this machine", () => {
  it("counts a reaped child's CPU as this process's own", () => {
    const before = readCpuTicks()!;
    const r = spawnSync(process.execPath, ["-e", BURN(0.8, 0)], { encoding: "utf8" });
    expect(r.stdout).toBe("burnt\n");
    const after = readCpuTicks()!;
    // 0.8 s of the child's CPU at 100 ticks a second, less rounding.
    expect(after.own - before.own).toBeGreaterThanOrEqual(70);
    // Whatever the neighbours did, the machine was at least as busy as we were.
    expect(after.busy - before.busy).toBeGreaterThanOrEqual(after.own - before.own - 2);
  });

  it("counts a process it has not reaped as another's, and shows it in the share", async () => {
    const before = readCpuTicks()!;
    const watch = startCpuWatch();
    const child = spawn(process.execPath, ["-e", BURN(0.8, 10_000)]);
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (d: Buffer) => (d.toString().includes("burnt") ? resolve() : undefined));
        child.on("error", reject);
      });
      const share = watch.stop();
      const after = readCpuTicks()!;
      const others = after.busy - before.busy - (after.own - before.own);
      expect(others).toBeGreaterThanOrEqual(70);
      expect(after.own - before.own).toBeLessThan(others);
      expect(share).toBeGreaterThan(0);
    } finally {
      child.kill();
    }
  });
});
