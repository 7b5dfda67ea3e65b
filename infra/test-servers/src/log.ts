/** Short progress lines on stderr, so they never mix with a test command's stdout. */
export function progress(message: string): void {
  process.stderr.write(`[test-servers] ${message}\n`);
}

/** Seconds since `startedAt` (a Date.now() value), for "up in 6.2s" messages. */
export function secondsSince(startedAt: number): string {
  return `${((Date.now() - startedAt) / 1000).toFixed(1)}s`;
}
