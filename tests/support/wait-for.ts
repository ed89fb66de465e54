/**
 * Polls until the probe returns a truthy value. The timeout only bounds a broken run;
 * tests never assert on how long something took (speed belongs to benchmarks).
 */
export async function waitFor<T>(probe: () => Promise<T> | T, what: string | (() => string), timeoutMs = 15_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what} (last value: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
