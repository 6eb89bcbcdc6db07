import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Override } from './static-server';
import { DIST } from './harness';

/**
 * Model folders that are broken on purpose, served beside the real ones under <base>test-models/:
 * - corrupt/: a real model whose onnx/model_quantized.onnx is cut off after 64 KB;
 * - no-card/: a real model without manifest.json, like a third-party transformers.js folder;
 * - unreachable/: every request has its connection dropped, as when a server goes away.
 */
export function brokenModels(basePath: string, realModel: string): Override {
  const prefix = `${basePath}test-models/`;
  const source = path.join(DIST, 'models', realModel);
  return (pathname, request, response) => {
    if (!pathname.startsWith(prefix)) return false;
    const [kind, ...rest] = pathname.slice(prefix.length).split('/');
    const file = rest.join('/');
    if (kind === 'unreachable') {
      request.socket.destroy();
      return true;
    }
    if ((kind === 'no-card' && file === 'manifest.json') || !['corrupt', 'no-card'].includes(kind) || !file) {
      response.writeHead(404);
      response.end();
      return true;
    }
    if (kind === 'corrupt' && file === 'onnx/model_quantized.onnx') {
      void serveTruncated(path.join(source, file), 64 * 1024, response);
      return true;
    }
    const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    const stream = createReadStream(path.join(source, file));
    stream.on('error', () => {
      response.writeHead(404);
      response.end();
    });
    stream.once('open', () => response.writeHead(200, { 'Content-Type': type }));
    stream.pipe(response);
    return true;
  };
}

async function serveTruncated(file: string, bytes: number, response: import('node:http').ServerResponse): Promise<void> {
  const handle = await open(file);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(bytes), 0, bytes, 0);
    response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bytesRead });
    response.end(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
