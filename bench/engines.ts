/**
 * Engine benchmark (a measurement, not a test): latency per text at 128 tokens and batch
 * throughput for TF.js on WebGPU, WebAssembly and its cpu backend, next to ONNX Runtime Web on
 * WebAssembly and WebGPU, each in a fresh headless Chromium on this machine.
 *
 *   npx tsx bench/engines.ts [--model news-topic] [--models public/models] [--only tfjs/wasm,onnx/wasm]
 *
 * Builds bench/engines/ (a page that drives the product's classifier worker through its worker
 * API: load, then `benchmark`, the same measurement the page's "Compare engines" panel runs),
 * serves it with the models, and writes bench/reports/engines.json and engines.md.
 */
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { isSoftwareAdapter } from '../src/core/benchmark/benchmark-verdict';
import { launchChromium } from '../test/e2e/chromium';
import { startStaticServer } from '../test/e2e/static-server';
import type { BenchmarkRow } from '../src/core/contract/benchmark-types';
import type { BenchPageAnswer } from './engines/answer';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGE = path.join(ROOT, 'bench/engines');
const REPORTS = path.join(ROOT, 'bench/reports');
interface Run {
  engine: 'tfjs' | 'onnx';
  backend: 'webgpu' | 'wasm' | 'cpu';
  /** Fewer repetitions where one batch takes many seconds (software WebGPU, plain JavaScript). */
  runs: number;
  batchRuns: number;
}

const RUNS: Run[] = [
  { engine: 'tfjs', backend: 'webgpu', runs: 3, batchRuns: 1 },
  { engine: 'tfjs', backend: 'wasm', runs: 10, batchRuns: 2 },
  { engine: 'tfjs', backend: 'cpu', runs: 3, batchRuns: 1 },
  { engine: 'onnx', backend: 'wasm', runs: 10, batchRuns: 2 },
  { engine: 'onnx', backend: 'webgpu', runs: 3, batchRuns: 1 },
];
const TOKENS = 128;
const BATCH = 32;
const RUN_TIMEOUT_MS = 15 * 60_000;

/** One line of the report: what was asked for and what the worker measured. */
interface Measured {
  request: Run & { tokens: number; batchSize: number };
  chromium: string;
  crossOriginIsolated?: boolean;
  error?: string;
  row?: BenchmarkRow;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' }, models: { type: 'string' }, only: { type: 'string' } } });
  const modelsDir = path.resolve(values.models ?? path.join(ROOT, 'public/models'));
  const index = JSON.parse(await readFile(path.join(modelsDir, 'index.json'), 'utf8')) as { default?: string; models: string[] };
  const model = values.model ?? index.default ?? index.models[0];
  const only = values.only?.split(',');
  const runs = RUNS.filter((run) => !only || only.includes(`${run.engine}/${run.backend}`));

  await build({ configFile: path.join(PAGE, 'vite.config.ts') });
  const server = await startStaticServer({
    root: path.join(PAGE, 'dist'),
    override: (pathname, _request, response) => {
      if (!pathname.startsWith('/models/')) return false;
      const file = path.resolve(modelsDir, decodeURIComponent(pathname.slice('/models/'.length)));
      void serveFile(file.startsWith(modelsDir + path.sep) ? file : '', response);
      return true;
    },
  });
  const results: Measured[] = [];
  try {
    for (const run of runs) {
      process.stdout.write(`${run.engine}/${run.backend} ... `);
      const result = await measure(server.url, model, run);
      results.push(result);
      console.log(result.error ? `${result.row?.status ?? 'failed'}: ${result.error}` : `${result.row?.latencyMs?.median} ms per text, ${result.row?.batch?.textsPerSecond} texts/s`);
    }
  } finally {
    await server.close();
  }
  await writeReports(model, results);
}

async function measure(baseUrl: string, model: string, run: Run): Promise<Measured> {
  const { context, close } = await launchChromium({ webgpu: run.backend === 'webgpu' });
  try {
    const page = await context.newPage();
    const query = new URLSearchParams({
      engine: run.engine,
      backend: run.backend,
      model,
      tokens: String(TOKENS),
      runs: String(run.runs),
      batch: String(BATCH),
      batchRuns: String(run.batchRuns),
    });
    await page.goto(`${baseUrl}index.html?${query}`);
    await page.waitForFunction(() => 'benchAnswer' in window, undefined, { timeout: RUN_TIMEOUT_MS, polling: 1000 });
    const answer = (await page.evaluate(() => (window as Window & { benchAnswer?: unknown }).benchAnswer)) as BenchPageAnswer;
    const measured: Measured = { request: { ...run, tokens: TOKENS, batchSize: BATCH }, chromium: context.browser()?.version() ?? 'unknown' };
    if (!answer.result) return { ...measured, error: answer.error };
    const row = answer.result.rows[0];
    return { ...measured, crossOriginIsolated: answer.result.crossOriginIsolated, row, ...(row.status === 'done' ? {} : { error: row.reason ?? row.status }) };
  } finally {
    await close();
  }
}

async function serveFile(file: string, response: import('node:http').ServerResponse): Promise<void> {
  const info = file ? await stat(file).catch(() => undefined) : undefined;
  if (!info?.isFile()) {
    response.writeHead(404).end('not found');
    return;
  }
  const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': info.size });
  response.end(await readFile(file));
}

async function writeReports(model: string, results: Measured[]): Promise<void> {
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`;
  const date = new Date().toISOString();
  await mkdir(REPORTS, { recursive: true });
  await writeFile(path.join(REPORTS, 'engines.json'), `${JSON.stringify({ date, machine, model, tokens: TOKENS, batch: BATCH, results }, null, 2)}\n`);
  const rows = results.map(({ request, error, row }) => {
    const name = `${request.engine} / ${request.backend}`;
    if (error || !row) return `| ${name} | ${row?.status === 'unavailable' ? 'unavailable' : 'failed'}: ${(error ?? 'no answer').replace(/\|/g, '/')} | | | | | |`;
    return `| ${name} | ${row.info?.device ?? ''} | ${row.loadMs} | ${row.warmupMs ?? '-'} | ${row.firstMs} | ${row.latencyMs?.median} | ${row.batch?.textsPerSecond} |`;
  });
  const gpu = results.filter((r) => r.request.backend === 'webgpu' && r.row?.info);
  const software = gpu.some((r) => isSoftwareAdapter(r.row?.info?.device));
  const gpuNote = software
    ? 'WebGPU here is SwiftShader, a software adapter that runs on the CPU: its numbers prove that the WebGPU path works, not how fast a real GPU is.'
    : gpu.length > 0
      ? 'WebGPU ran on a hardware adapter.'
      : 'No WebGPU run in this report.';
  const markdown = [
    `# Engine benchmark: ${model}, ${TOKENS} tokens per text`,
    '',
    `${date}; ${machine}; headless Chromium ${results[0]?.chromium ?? ''}; written by bench/engines.ts.`,
    '',
    '| engine / backend | device | load ms (incl. warm-up) | warm-up ms | first text ms | median ms per text | texts/s in batches of ' + BATCH + ' |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    gpuNote,
    'ONNX Runtime Web runs single-threaded where the page is not cross-origin isolated; TF.js WebAssembly always runs on one thread (see src/engines/tfjs/backend.ts).',
    'Each run measures a fresh engine in the worker of a page that has the model loaded already (ONNX Runtime on WebAssembly), as the page\'s "Compare engines" panel does: its downloads may come from the browser\'s cache.',
    '',
  ].join('\n');
  await writeFile(path.join(REPORTS, 'engines.md'), markdown);
  console.log(`\n${markdown}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
