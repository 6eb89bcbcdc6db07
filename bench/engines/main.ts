import { ClassifierClient } from '../../src/client';
import type { BackendName, EngineName } from '../../src/core/contract/types';
import type { BenchPageAnswer } from './answer';

/**
 * Measures one engine on one backend through the product's own worker API: loads the model as the
 * page would (ONNX Runtime on WebAssembly, the quickest to load), then asks the worker for a
 * benchmark (?engine=&backend=&model=&tokens=&runs=&batch=&batchRuns=) and hands the answer to
 * the driver (bench/engines.ts) in window.benchAnswer.
 */
const params = new URLSearchParams(location.search);
const model = params.get('model') ?? 'news-topic';
const number = (name: string, fallback: number) => Number(params.get(name) ?? fallback);

async function measure(): Promise<BenchPageAnswer> {
  const client = new ClassifierClient();
  try {
    await client.load({ id: model, url: new URL(`models/${model}/`, location.href).href }, { engine: 'onnx', backend: 'wasm' });
    const result = await client.benchmark({
      combinations: [
        {
          engine: (params.get('engine') ?? 'onnx') as EngineName,
          backend: (params.get('backend') ?? 'wasm') as BackendName,
          repetitions: number('runs', 10),
          batchRepetitions: number('batchRuns', 2),
        },
      ],
      tokens: number('tokens', 128),
      batchSize: number('batch', 32),
    });
    return { result };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    client.terminate('The benchmark is over.');
  }
}

void measure().then((answer) => {
  (window as Window & { benchAnswer?: BenchPageAnswer }).benchAnswer = answer;
  document.body.textContent = JSON.stringify(answer);
});
