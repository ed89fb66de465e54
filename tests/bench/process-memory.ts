import { readFileSync } from 'node:fs';

/** Resident set size of a process in KiB, from /proc (0 once it has exited). */
export function rssKiB(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB$/m);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}
