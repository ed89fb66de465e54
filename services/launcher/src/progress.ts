/** Start-up progress for people at a terminal: numbered steps with their durations. */
export function createProgress(total: number, write: (line: string) => void = (l) => process.stdout.write(l)) {
  const started = performance.now();
  let n = 0;
  return {
    async step<T>(label: string, fn: (note: (msg: string) => void) => Promise<T>): Promise<T> {
      n += 1;
      const t0 = performance.now();
      write(`[${n}/${total}] ${label} …\n`);
      const result = await fn((msg) => write(`      ${msg}\n`));
      write(`      done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      return result;
    },
    elapsedS: () => (performance.now() - started) / 1000,
    info: (msg: string) => write(`${msg}\n`),
  };
}
