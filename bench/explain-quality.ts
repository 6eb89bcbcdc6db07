/**
 * Explanation quality (a measurement, not a test): for each shipped model and method, over test
 * texts cut to their first 100 words (test/fixtures/test-texts, drawn from each model's test
 * split), ERASER comprehensiveness and sufficiency AOPC against random rankings, the top-5 words'
 * agreement across two seeds, model runs and seconds per explanation.
 *
 *   npm run bench:explain
 *   BENCH_TEXTS=20 BENCH_MODELS=sentiment BENCH_METHODS=lime,kernelshap npm run bench:explain
 *
 * It runs under vitest (bench/vitest.config.ts) because the gradient method imports tfjs-core's
 * gradient registrations, an ES-module file that plain Node cannot resolve and vite can.
 * The model runs on onnxruntime-node (the same int8 file and the same engine code as the page,
 * about 5x faster per thread than WebAssembly here), so the seconds are this machine's native
 * ones; bench/explain-speed.ts times the methods in the page on WebAssembly. The gradient method
 * runs on the TF.js engine (WebAssembly backend, in Node). Each model's rows are written after each
 * method to bench/reports/explain-quality/<model>.json (a run replaces only the methods it
 * measures, so models can be measured in separate processes), and explain-quality.md is written
 * from all of them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import { it } from 'vitest';
import { topKAgreement } from '../src/core/explain/stability';
import { EXPLAIN_METHODS, isSamplingMethod, type ExplainMethod, type ExplainOptions, type Explanation } from '../src/core/contract/explanation-types';
import { OnnxEngine } from '../src/engines/onnx';
import type { OrtModule } from '../src/engines/ort-runtime';
import { TfjsEngine } from '../src/engines/tfjs/engine';
import { startStaticServer } from '../test/e2e/static-server';
import { freshConnectionFetch, nodeTfjsWasmPaths } from '../test/helpers/tfjs-node';
import type { ExplainRunnerDeps } from '../workers/explain/evaluator';
import { runExplanation } from '../workers/explain/run';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPORTS = path.join(ROOT, 'bench/reports');
const WORDS = 100;

/** Each method as the page runs it by default; the sampling ones twice, with seeds 0 and 1. */
const SETTINGS: Record<ExplainMethod, ExplainOptions> = {
  occlusion: { method: 'occlusion' },
  lime: { method: 'lime', numSamples: 1000 },
  kernelshap: { method: 'kernelshap', numSamples: 400, link: 'logit' },
  gradient: { method: 'gradient', gradient: { variant: 'integrated', steps: 20, baseline: 'pad' } },
};

interface MethodRow {
  method: ExplainMethod;
  settings: string;
  texts: number;
  comprehensiveness: number;
  comprehensivenessRandom: number;
  sufficiency: number;
  sufficiencyRandom: number;
  /** Share of texts whose comprehensiveness beat the random rankings'. */
  betterThanRandom: number;
  /** Mean top-5 agreement across seeds 0 and 1 (1 for the deterministic methods). */
  seedAgreement: number;
  /** Mean split-half agreement reported inside the explanation (sampling methods). */
  halvesAgreement: number | null;
  modelRuns: number;
  seconds: number;
  completenessError: number | null;
}

interface ModelReport {
  model: string;
  meanWords: number;
  rows: MethodRow[];
}

function firstWords(text: string, count: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  return words.slice(0, count).join(' ');
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
}

async function measure(model: string, texts: string[], methods: ExplainMethod[], url: string, onRow: (row: MethodRow) => Promise<void>): Promise<void> {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'public/models', model, 'manifest.json'), 'utf8')) as { maxTokens?: number };
  const source = { id: model, url, maxTokens: manifest.maxTokens };
  const onnx = new OnnxEngine({ ort: ortNode as unknown as OrtModule, cpuProvider: 'cpu' });
  await onnx.load(source, 'wasm');
  const tfjs = methods.includes('gradient') ? new TfjsEngine({ wasmPaths: nodeTfjsWasmPaths(), fetch: freshConnectionFetch }) : undefined;
  await tfjs?.load(source, 'wasm');
  const deps: ExplainRunnerDeps = {
    classify: (batch) => onnx.classify(batch, batch.length),
    tokenCount: (text) => onnx.tokenCount(text),
    labels: onnx.labels(),
    ...(tfjs ? { attributions: (pieces, label, settings) => tfjs.attributions(pieces, label, settings) } : {}),
  };
  try {
    for (const method of methods) {
      const options = { ...SETTINGS[method], topLabels: 1 };
      const sampling = isSamplingMethod(method);
      const runs: Explanation[] = [];
      const agreements: number[] = [];
      const seconds: number[] = [];
      for (const [i, text] of texts.entries()) {
        const started = performance.now();
        const first = await runExplanation(text, { ...options, seed: 0 }, deps);
        seconds.push((performance.now() - started) / 1000);
        runs.push(first);
        if (sampling) {
          const second = await runExplanation(text, { ...options, seed: 1, faithfulness: false }, deps);
          agreements.push(topKAgreement(first.weights, second.weights, 5));
        }
        if ((i + 1) % 20 === 0) console.log(`${model} ${method}: ${i + 1}/${texts.length}`);
      }
      const row: MethodRow = {
        method,
        settings: JSON.stringify(SETTINGS[method]),
        texts: runs.length,
        comprehensiveness: mean(runs.map((r) => r.comprehensiveness!.aopc)),
        comprehensivenessRandom: mean(runs.map((r) => r.comprehensiveness!.random)),
        sufficiency: mean(runs.map((r) => r.sufficiency!.aopc)),
        sufficiencyRandom: mean(runs.map((r) => r.sufficiency!.random)),
        betterThanRandom: mean(runs.map((r) => (r.faithfulness!.betterThanRandom ? 1 : 0))),
        seedAgreement: sampling ? mean(agreements) : 1,
        halvesAgreement: sampling ? mean(runs.map((r) => r.stability!.topKAgreement)) : null,
        modelRuns: mean(runs.map((r) => r.modelRuns)),
        seconds: mean(seconds),
        completenessError: method === 'gradient' ? mean(runs.map((r) => r.gradient!.completenessError)) : null,
      };
      console.log(JSON.stringify({ model, ...row }));
      await onRow(row);
    }
  } finally {
    await onnx.dispose();
    await tfjs?.dispose();
  }
}

function markdown(machine: string, reports: ModelReport[]): string {
  const f = (n: number) => n.toFixed(3);
  const lines = [
    '# Explanation quality',
    '',
    `${machine}; ${new Date().toISOString().slice(0, 10)}. Written by \`npm run bench:explain\` (bench/explain-quality.ts).`,
    '',
    'Per shipped model and method, means over test texts cut to their first 100 words, the predicted label explained.',
    'Comprehensiveness AOPC: how much the label\'s probability drops when the top 1, 5, 10, 20 and 50% of the words are removed',
    '(higher is more faithful); sufficiency AOPC: how much it drops when only they are kept (lower is better). "random" is the',
    'same for random rankings of the same words; "beats random" is the share of texts where the method\'s comprehensiveness',
    'is above the random rankings\'. Seed agreement: the share of the top 5 words two seeds agree on (1 for methods that',
    'sample nothing). Seconds: onnxruntime-node on this machine (see explain-speed.md for WebAssembly in the page).',
    '',
    '| model | method | comprehensiveness (random) | advantage | sufficiency (random) | beats random | top-5 seed agreement | halves agreement | model runs | seconds |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const report of reports) {
    for (const r of report.rows) {
      lines.push(
        `| ${report.model} | ${r.method} | ${f(r.comprehensiveness)} (${f(r.comprehensivenessRandom)}) | ${(r.comprehensiveness - r.comprehensivenessRandom >= 0 ? '+' : '') + f(r.comprehensiveness - r.comprehensivenessRandom)} | ${f(r.sufficiency)} (${f(r.sufficiencyRandom)}) | ${(100 * r.betterThanRandom).toFixed(0)}% | ${r.seedAgreement.toFixed(2)} | ${r.halvesAgreement === null ? '-' : r.halvesAgreement.toFixed(2)} | ${r.modelRuns.toFixed(0)} | ${r.seconds.toFixed(2)} |`,
      );
    }
  }
  lines.push('', 'Settings: ' + EXPLAIN_METHODS.map((m) => `${m} ${JSON.stringify(SETTINGS[m])}`).join('; ') + '.');
  lines.push('', 'Texts per model: ' + reports.map((r) => `${r.model} ${r.rows[0]?.texts ?? 0} (mean ${r.meanWords.toFixed(0)} words)`).join(', ') + '.');
  const gradient = reports.flatMap((r) => r.rows.filter((row) => row.completenessError !== null).map((row) => `${r.model} ${row.completenessError!.toFixed(4)}`));
  if (gradient.length > 0) lines.push('', `Integrated Gradients' mean completeness error |sum - (f(text) - f(baseline))|: ${gradient.join(', ')}.`);
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const env = process.env;
  const count = Number(env.BENCH_TEXTS ?? 100);
  const models = env.BENCH_MODELS?.split(',') ?? ['news-topic', 'sentiment', 'product-category'];
  const methods = (env.BENCH_METHODS?.split(',') ?? [...EXPLAIN_METHODS]) as ExplainMethod[];
  const folder = path.join(REPORTS, 'explain-quality');
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), onnxruntime-node`;
  await mkdir(folder, { recursive: true });
  const server = await startStaticServer({ root: path.join(ROOT, 'public') });
  try {
    for (const model of models) {
      const fixture = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/test-texts', `${model}.json`), 'utf8')) as { texts: { text: string }[] };
      const texts = fixture.texts.slice(0, count).map((t) => firstWords(t.text, WORDS));
      const file = path.join(folder, `${model}.json`);
      const report: ModelReport = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ModelReport) : { model, meanWords: 0, rows: [] };
      report.meanWords = mean(texts.map((t) => t.split(/\s+/).length));
      await measure(model, texts, methods, `${server.url}models/${model}/`, async (row) => {
        report.rows = [...report.rows.filter((r) => r.method !== row.method), row].sort((a, b) => EXPLAIN_METHODS.indexOf(a.method) - EXPLAIN_METHODS.indexOf(b.method));
        await writeFile(file, JSON.stringify({ ...report, machine, date: new Date().toISOString() }, null, 2) + '\n');
        await writeMarkdown(machine, folder);
      });
    }
  } finally {
    await server.close();
  }
}

/** The report from every model's file, in the shipped models' order. */
async function writeMarkdown(machine: string, folder: string): Promise<void> {
  const reports = ['news-topic', 'sentiment', 'product-category']
    .map((model) => path.join(folder, `${model}.json`))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as ModelReport);
  await writeFile(path.join(REPORTS, 'explain-quality.md'), markdown(machine, reports));
}

it('measures explanation quality per model and method', main, 6 * 3600_000);
