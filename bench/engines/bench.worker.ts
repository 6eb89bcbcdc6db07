/// <reference lib="webworker" />
import { tfjsWasmPaths } from 'virtual:tfjs-wasm';
import type { LoadProgress } from '../../src/core/types';
import { createEngine } from '../../src/engines/create-engine';
import type { Engine } from '../../src/engines/engine';
import { tfjsBackendStarters } from '../../src/engines/tfjs/backend';
import { TfjsEngine } from '../../src/engines/tfjs/engine';
import type { BenchRequest, BenchResult } from './protocol';

/** Runs one engine on one backend: load (with warm-up), latency per text, then batch throughput. */
self.onmessage = async (event: MessageEvent<BenchRequest>) => {
  const request = event.data;
  const result: BenchResult = { request, crossOriginIsolated: self.crossOriginIsolated };
  let engine: Engine | undefined;
  try {
    engine = await makeEngine(request);
    const manifest = (await (await fetch(new URL('manifest.json', request.modelUrl))).json()) as { maxTokens?: number; examples: { text: string }[] };
    let warmupMs: number | undefined;
    const onProgress = (p: LoadProgress) => {
      if (p.phase === 'warmup' && p.progress === 1) warmupMs = p.ms;
    };
    const started = performance.now();
    // The TF.js cpu run asks for WebAssembly with WebAssembly made unavailable, so the cpu backend takes over.
    await engine.load({ id: 'bench', url: request.modelUrl, maxTokens: manifest.maxTokens }, request.backend === 'webgpu' ? 'webgpu' : 'wasm', onProgress);
    result.loadMs = Math.round(performance.now() - started);
    result.warmupMs = warmupMs;
    result.info = engine.info();

    const text = await textOfTokens(engine, manifest.examples.map((e) => e.text).join(' '), request.tokens);
    result.tokens = (await engine.describeInput?.(text))?.tokens;
    result.firstMs = await time(() => engine!.classify([text], 1));
    const latencies: number[] = [];
    for (let i = 0; i < request.latencyRuns; i++) latencies.push(await time(() => engine!.classify([text], 1)));
    result.latencyMs = { ...summary(latencies), runs: latencies.length };

    const batch = new Array<string>(request.batchSize).fill(text);
    const batches: number[] = [];
    for (let i = 0; i < request.batchRuns; i++) batches.push(await time(() => engine!.classify(batch, request.batchSize)));
    const medianMs = summary(batches).median;
    result.batch = { size: request.batchSize, medianMs, textsPerSecond: round((request.batchSize * 1000) / medianMs), runs: batches.length };
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  } finally {
    await engine?.dispose().catch(() => undefined);
  }
  postMessage(result);
};

async function makeEngine(request: BenchRequest): Promise<Engine> {
  if (request.engine === 'onnx') return createEngine('onnx');
  if (request.backend !== 'cpu') return new TfjsEngine({ wasmPaths: tfjsWasmPaths });
  const real = tfjsBackendStarters(tfjsWasmPaths);
  const skipped = { start: () => Promise.reject(new Error('skipped to measure the cpu backend')), describe: real.wasm.describe };
  return new TfjsEngine({ starters: { ...real, webgpu: skipped, wasm: skipped } });
}

/** The longest prefix (in words) of `source` that fits in `tokens` tokens, special tokens included. */
async function textOfTokens(engine: Engine, source: string, tokens: number): Promise<string> {
  const words = source.split(/\s+/).filter(Boolean);
  const count = async (n: number) => (await engine.describeInput?.(words.slice(0, n).join(' ')))?.tokens ?? n + 2;
  let low = 1;
  let high = words.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((await count(middle)) <= tokens) low = middle;
    else high = middle - 1;
  }
  return words.slice(0, low).join(' ');
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return round(performance.now() - started);
}

function summary(values: number[]): { median: number; mean: number; min: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median: round(median), mean: round(values.reduce((a, b) => a + b, 0) / values.length), min: round(sorted[0]) };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
