import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import { CONTENT_SECURITY_POLICY } from '../../src/core/content-security-policy';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** Lets a test answer some paths itself (to simulate broken or unreachable model files). */
export type Override = (pathname: string, request: IncomingMessage, response: ServerResponse) => boolean;

export interface StaticServerOptions {
  /** The folder to serve, e.g. dist/. */
  root: string;
  /** The sub-path the site lives under, e.g. "/glassbox/"; "/" by default. */
  basePath?: string;
  /** Send COOP/COEP (cross-origin isolation); true by default. */
  isolated?: boolean;
  /** Send the Content-Security-Policy glassbox ships, on every response; true by default. */
  csp?: boolean;
  /**
   * Gzip every file on the fly, as many hosts do: the response then has no Content-Length, so
   * download progress must come from the model card. False by default.
   */
  compress?: boolean;
  override?: Override;
}

export interface StaticServer {
  /** The site's URL, ending in the base path. */
  url: string;
  origin: string;
  close(): Promise<void>;
}

/**
 * The smallest static file server that hosts dist/ the way a real host would: under a
 * sub-path, with or without the cross-origin isolation headers and the Content-Security-Policy
 * header the hosting docs give, nothing else.
 */
export async function startStaticServer({ root, basePath = '/', isolated = true, csp = true, compress = false, override }: StaticServerOptions): Promise<StaticServer> {
  const base = basePath.endsWith('/') ? basePath : `${basePath}/`;
  const server = createServer((request, response) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      if (isolated) {
        response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
        response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      }
      if (csp) response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      if (override?.(pathname, request, response)) return;
      if (!pathname.startsWith(base)) return notFound(response);
      const relative = pathname.slice(base.length) || 'index.html';
      const file = path.resolve(root, relative.endsWith('/') ? `${relative}index.html` : relative);
      if (!file.startsWith(path.resolve(root) + path.sep)) return notFound(response);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return notFound(response);
      const gzip = compress && /\bgzip\b/.test(String(request.headers['accept-encoding']));
      response.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        ...(gzip ? { 'Content-Encoding': 'gzip' } : { 'Content-Length': info.size }),
        'Cache-Control': 'no-cache',
      });
      if (request.method === 'HEAD') return response.end();
      if (gzip) createReadStream(file).pipe(createGzip()).pipe(response);
      else createReadStream(file).pipe(response);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${base}`,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end('not found');
}
