/** Waiting on a condition in tests, instead of sleeping for a guessed time. */

/**
 * Resolves with the first truthy value of `test`, polled every 20 ms; rejects naming `what` after
 * `timeoutMs` (a bound for a broken build, not a timing assumption).
 */
export async function waitFor<T>(test: () => T | Promise<T>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await test();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
