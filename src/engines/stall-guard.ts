/** A download that receives nothing for this long is given up: the connection is as good as gone. */
export const STALL_TIMEOUT_MS = 30_000;

/** Why a response body stopped before its end. */
export interface BodyFailure {
  /** Nothing arrived for `stallMs`, or the connection failed while reading. */
  kind: 'stalled' | 'dropped';
  detail: string;
}

/**
 * The same response, with a body that fails (and cancels the download) when no bytes arrive for
 * `stallMs`, and that says how much had arrived when the connection dropped. Without it a stalled
 * download waits forever (a progress bar stuck at 52%), and a dropped connection surfaces as a
 * truncated file, which the runtimes report as a corrupt model.
 */
export function guardBody(response: Response, onFailure: (failure: BodyFailure) => Error, stallMs = STALL_TIMEOUT_MS): Response {
  if (!response.body) return response;
  const reader = response.body.getReader();
  let received = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<'stalled'>((resolve) => {
        timer = setTimeout(() => resolve('stalled'), stallMs);
      });
      try {
        const next = await Promise.race([reader.read(), stalled]);
        if (next === 'stalled') {
          void reader.cancel().catch(() => undefined);
          controller.error(onFailure({ kind: 'stalled', detail: `the download stalled: nothing arrived for ${Math.round(stallMs / 1000)} s after ${received} bytes` }));
        } else if (next.done) {
          controller.close();
        } else {
          received += next.value.length;
          controller.enqueue(next.value);
        }
      } catch (error) {
        controller.error(onFailure({ kind: 'dropped', detail: `the connection dropped after ${received} bytes (${error instanceof Error ? error.message : String(error)})` }));
      } finally {
        clearTimeout(timer);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
