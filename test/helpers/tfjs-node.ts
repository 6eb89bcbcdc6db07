import { get } from 'node:http';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { TfjsWasmPaths } from '../../src/engines/tfjs/wasm-files';

/** In Node, @tensorflow/tfjs-backend-wasm reads its binaries from a folder on disk: the package's own. */
export function nodeTfjsWasmPaths(): TfjsWasmPaths {
  const require = createRequire(import.meta.url);
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`;
}

/**
 * fetch() over a new connection per request. The test server runs in the test's own process,
 * whose event loop the model blocks for seconds; a kept-alive socket can then be closed by the
 * server just as the client reuses it (ECONNRESET), which says nothing about the engine.
 */
export function freshConnectionFetch(url: string, init?: RequestInit): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, signal: init?.signal ?? undefined }, (response) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
      const body = response.statusCode === 204 ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>);
      resolve(new Response(body, { status: response.statusCode, statusText: response.statusMessage, headers }));
    });
    request.on('error', reject);
  });
}
