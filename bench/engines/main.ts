import type { BenchRequest, BenchResult } from './protocol';

/** Hands the query (?engine=&backend=&model=) to the benchmark worker and exposes its answer to the driver. */
const params = new URLSearchParams(location.search);
const request: BenchRequest = {
  engine: params.get('engine') === 'onnx' ? 'onnx' : 'tfjs',
  backend: (params.get('backend') ?? 'wasm') as BenchRequest['backend'],
  modelUrl: new URL(`models/${params.get('model') ?? 'news-topic'}/`, location.href).href,
  tokens: Number(params.get('tokens') ?? 128),
  latencyRuns: Number(params.get('runs') ?? 10),
  batchSize: Number(params.get('batch') ?? 32),
  batchRuns: Number(params.get('batchRuns') ?? 2),
};
const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
const done = (result: BenchResult) => {
  (window as Window & { benchResult?: BenchResult }).benchResult = result;
  document.body.textContent = JSON.stringify(result);
};
worker.onmessage = (event: MessageEvent<BenchResult>) => done(event.data);
worker.onerror = (event) => done({ request, error: event.message });
worker.postMessage(request);
