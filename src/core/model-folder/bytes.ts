/** One array of the chunks' bytes, in order; `length` is their total. */
export function concatBytes(chunks: readonly Uint8Array[], length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * A response's body read whole, or how many bytes had arrived when it passed `limit`: then the
 * rest is not downloaded. `onChunk` hears the bytes read so far after each chunk within the limit.
 */
export async function readAtMost(response: Response, limit: number, onChunk: (loaded: number) => void = () => undefined): Promise<{ bytes: Uint8Array<ArrayBuffer> } | { over: number }> {
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.length > limit ? { over: bytes.length } : { bytes };
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loaded += value.length;
    if (loaded > limit) {
      await reader.cancel().catch(() => undefined);
      return { over: loaded };
    }
    chunks.push(value);
    onChunk(loaded);
  }
  return { bytes: concatBytes(chunks, loaded) };
}
