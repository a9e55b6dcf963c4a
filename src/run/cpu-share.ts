/**
 * How much of the machine's CPU other processes took while a case ran: the
 * machine's busy time (/proc/stat) less this process's and its reaped children's
 * (/proc/self/stat, the case's worker among them), over the machine's whole
 * capacity for that time. A CPU case's figure from a machine that something
 * else was keeping busy measures the neighbour as much as the framework: on a
 * shared 2-core machine that is the between-run noise that spoils a decision
 * (see bench/decision-rates-real.ts). Linux only; elsewhere nothing is measured.
 */
import { readFileSync } from "node:fs";

/** Other processes' share of the CPU above which a case's timing is not believed on its own. */
export const CPU_SHARED_LIMIT = 0.15;

interface Ticks {
  busy: number;
  total: number;
  own: number;
}

function read(): Ticks | undefined {
  try {
    const cpu = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const f = cpu.trim().split(/\s+/).slice(1, 9).map(Number);
    if (f.length < 8 || f.some((x) => !Number.isFinite(x))) return undefined;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
    const self = readFileSync("/proc/self/stat", "utf8");
    // Fields after the command name (which may hold spaces) start at field 3: utime is 14, cstime 17.
    const rest = self
      .slice(self.lastIndexOf(")") + 2)
      .split(" ")
      .map(Number);
    const own = (rest[11] ?? 0) + (rest[12] ?? 0) + (rest[13] ?? 0) + (rest[14] ?? 0);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait, own };
  } catch {
    return undefined;
  }
}

export interface CpuWatch {
  /** Other processes' share of the machine's CPU since the watch started (0–1), once the case's worker is reaped. */
  stop(): number | undefined;
}

export function startCpuWatch(): CpuWatch {
  const start = read();
  return {
    stop() {
      const end = read();
      if (!start || !end) return undefined;
      const total = end.total - start.total;
      if (total <= 0) return undefined;
      const others = end.busy - start.busy - (end.own - start.own);
      return Math.min(1, Math.max(0, others / total));
    },
  };
}
