import { describe, expect, it } from 'vitest';
import { isPrecached, precacheEntries } from '../../scripts/vite-plugin-service-worker';

describe('the service worker precache manifest', () => {
  const site = new Map<string, string | Uint8Array>([
    ['index.html', '<!doctype html>'],
    ['assets/index-abc.js', 'console.log(1)'],
    ['assets/ort-wasm-simd-threaded.asyncify-x.wasm', new Uint8Array([0, 97, 115, 109])],
    ['manifest.webmanifest', '{}'],
    ['models/index.json', '{}'],
    ['models/news-topic/onnx/model_quantized.onnx', new Uint8Array(8)],
    ['sw.js', 'self'],
    ['assets/index-abc.js.map', '{}'],
  ]);

  it('lists the app shell with relative URLs, and leaves out models, the worker itself and source maps', () => {
    expect(precacheEntries(site).map((e) => e.url)).toEqual([
      'assets/index-abc.js',
      'assets/ort-wasm-simd-threaded.asyncify-x.wasm',
      'index.html',
      'manifest.webmanifest',
    ]);
    expect(isPrecached('icons/icon-192.png')).toBe(true);
    expect(isPrecached('models/sentiment/config.json')).toBe(false);
  });

  it('revises an entry exactly when its content changes', () => {
    const before = new Map(precacheEntries(site).map((e) => [e.url, e.revision]));
    const changed = new Map(site);
    changed.set('index.html', '<!doctype html><title>v2</title>');
    const after = new Map(precacheEntries(changed).map((e) => [e.url, e.revision]));
    expect(after.get('index.html')).not.toBe(before.get('index.html'));
    expect(after.get('assets/index-abc.js')).toBe(before.get('assets/index-abc.js'));
    expect(before.get('index.html')).toMatch(/^[0-9a-f]{16}$/);
  });
});
