/**
 * Resolves on a later task, not a microtask, so that messages waiting for the worker (a cancel, a
 * newer request) are handled first. Long jobs await it between model calls: a WebAssembly model
 * call blocks the worker's thread, and chained promises alone never let a message in.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
