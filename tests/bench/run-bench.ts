/**
 * Runs a benchmark's main with the same edges for all: cleanup on success, failure and
 * Ctrl-C; on failure the stack trace and whatever diagnostics the benchmark can give.
 */
export function runBench(main: () => Promise<void>, cleanup: () => Promise<void>, diagnostics: () => Promise<string | undefined> = async () => undefined): void {
  const say = (msg: string): void => void process.stdout.write(`${msg}\n`);
  process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
  main()
    .catch(async (err: unknown) => {
      say(`benchmark failed: ${(err as Error).stack ?? String(err)}`);
      const extra = await diagnostics().catch(() => undefined);
      if (extra) say(extra);
      process.exitCode = 1;
    })
    .finally(() => void cleanup());
}
