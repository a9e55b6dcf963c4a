/**
 * How much of the machine's CPU other processes took while a case ran: the
 * machine's busy time (/proc/stat) less this process's and its reaped children's
 * (/proc/self/stat: the case's worker is reaped before its outcome is known),
 * over the machine's whole capacity for that time. A CPU case's figure from a
 * machine that something else kept busy measures the neighbour as much as the
 * framework: on a shared 2-core machine that is the between-run noise that
 * spoils a decision (bench/decision-rates-real.ts). Linux only; elsewhere, or
 * where /proc cannot be read, nothing is measured. In a container /proc/stat
 * counts the host's CPUs, so a neighbour outside the container counts too.
 */
import { readFileSync } from "node:fs";

/**
 * Other processes' share of the CPU from which a CPU case's slowdown is not
 * believed on its own: it is called inconclusive, with the share. Chosen with
 * bench/decision-rates-real.ts on a shared 2-core machine (README, "Deciding a
 * regression").
 */
export const CPU_SHARED_LIMIT = 0.15;

/**
 * The most a case can have been slowed by neighbours that took `share` of the
 * machine: 1 / (1 − share)². More than linear: a multi-threaded case whose
 * threads wait for each other loses more than the CPU taken. On the recording
 * bench/noise/epyc-2core-shared.json (onnxruntime-node, ResNet-50, 2 shared
 * cores, shares 0.36–0.77) the run medians grew as 1 / (1 − share)^1.5 at the
 * quick profile and ^1.0 at smoke: the square is a bound above both.
 */
export function slowdownExplainedBy(share: number): number {
  const free = Math.max(1 - share, 0.01);
  return 1 / (free * free);
}

export interface CpuTicks {
  /** The machine's busy clock ticks, all CPUs. */
  busy: number;
  /** Busy and idle ticks: the machine's capacity. */
  total: number;
  /** This process's ticks and its reaped children's. */
  own: number;
}

/** The machine's busy and total ticks from /proc/stat's first ("cpu") line. */
export function parseProcStat(text: string): { busy: number; total: number } | undefined {
  const line = text.split("\n", 1)[0] ?? "";
  const fields = line.trim().split(/\s+/);
  if (fields[0] !== "cpu") return undefined;
  // user nice system idle iowait irq softirq steal; guest time is already counted in user and nice.
  const f = fields.slice(1, 9).map(Number);
  if (f.length < 8 || f.some((x) => !Number.isFinite(x) || x < 0)) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** utime + stime + cutime + cstime (fields 14–17) from /proc/<pid>/stat. */
export function parseOwnTicks(text: string): number | undefined {
  // The command name (field 2) is in parentheses and may hold spaces and parentheses: fields resume after the last ')'.
  const close = text.lastIndexOf(")");
  if (close < 0) return undefined;
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state), so field n is rest[n - 3].
  const ticks = rest.slice(11, 15).map(Number);
  if (ticks.length < 4 || ticks.some((x) => !Number.isFinite(x) || x < 0)) return undefined;
  return ticks.reduce((a, b) => a + b, 0);
}

export function readCpuTicks(): CpuTicks | undefined {
  try {
    const machine = parseProcStat(readFileSync("/proc/stat", "utf8"));
    const own = parseOwnTicks(readFileSync("/proc/self/stat", "utf8"));
    return machine && own !== undefined ? { ...machine, own } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Fewest ticks of machine capacity (at the usual 100 a second, one CPU-second)
 * a share is measured over: over less, a tick or two of a neighbour would
 * read as a large share.
 */
export const MIN_WINDOW_TICKS = 100;

/** Other processes' share (0–1) of the machine's capacity between two readings; undefined over too short a window. */
export function othersShare(start: CpuTicks, end: CpuTicks): number | undefined {
  const total = end.total - start.total;
  if (total < MIN_WINDOW_TICKS) return undefined;
  const others = end.busy - start.busy - (end.own - start.own);
  return Math.min(1, Math.max(0, others / total));
}

export interface CpuWatch {
  /** Other processes' share of the machine's CPU since the watch started (0–1); call once the case's worker is reaped. */
  stop(): number | undefined;
}

export function startCpuWatch(read: () => CpuTicks | undefined = readCpuTicks): CpuWatch {
  const start = read();
  return {
    stop() {
      const end = read();
      return start && end ? othersShare(start, end) : undefined;
    },
  };
}
