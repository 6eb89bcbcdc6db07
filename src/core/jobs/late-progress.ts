/**
 * Runs one call that reports progress, and hands `listener` only the reports that arrive while the
 * call is running. Across the worker boundary each callback answers through its own message
 * channel, so a report can arrive after the call's result: it then describes work that is over,
 * and would set a finished state back to running.
 */
export async function withProgress<T, P>(call: (onProgress: (progress: P) => void) => Promise<T>, listener: (progress: P) => void): Promise<T> {
  let settled = false;
  try {
    return await call((progress) => {
      if (!settled) listener(progress);
    });
  } finally {
    settled = true;
  }
}
