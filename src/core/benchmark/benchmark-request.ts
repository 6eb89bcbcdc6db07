import { BENCHMARK_DEFAULTS, BENCHMARK_LIMITS, type BenchmarkCombination, type BenchmarkRequest } from '../contract/benchmark-types';
import { GlassboxError } from '../contract/errors';
import { BACKEND_NAMES, ENGINE_NAMES, isOneOf } from '../contract/types';

/** A benchmark request with every default filled in, checked. */
export interface CheckedBenchmarkRequest {
  combinations: Required<BenchmarkCombination>[];
  tokens: number;
  batchSize: number;
}


/** Checks a request as it arrived from the page; bad input gets a BAD_INPUT error saying what was wrong. */
export function checkBenchmarkRequest(request: BenchmarkRequest): CheckedBenchmarkRequest {
  if (typeof request !== 'object' || request === null || !Array.isArray(request.combinations) || request.combinations.length === 0) {
    throw new GlassboxError('BAD_INPUT', 'A benchmark needs at least one engine and backend to measure.');
  }
  const repetitions = count(request.repetitions, 'repetitions', BENCHMARK_DEFAULTS.repetitions, BENCHMARK_LIMITS.repetitions);
  const batchRepetitions = count(request.batchRepetitions, 'batchRepetitions', BENCHMARK_DEFAULTS.batchRepetitions, BENCHMARK_LIMITS.batchRepetitions);
  const seen = new Set<string>();
  const combinations = request.combinations.map((combination) => {
    const { engine, backend } = combination ?? {};
    if (!isOneOf(ENGINE_NAMES, engine)) throw new GlassboxError('BAD_INPUT', `Unknown engine "${String(engine)}": use ${ENGINE_NAMES.join(' or ')}.`);
    if (!isOneOf(BACKEND_NAMES, backend)) throw new GlassboxError('BAD_INPUT', `Unknown backend "${String(backend)}": use ${BACKEND_NAMES.join(', ')}.`);
    const key = `${engine}/${backend}`;
    if (seen.has(key)) throw new GlassboxError('BAD_INPUT', `${key} is asked for twice; list each engine and backend once.`);
    seen.add(key);
    return {
      engine,
      backend,
      repetitions: count(combination.repetitions, `${key} repetitions`, repetitions, BENCHMARK_LIMITS.repetitions),
      batchRepetitions: count(combination.batchRepetitions, `${key} batchRepetitions`, batchRepetitions, BENCHMARK_LIMITS.batchRepetitions),
    };
  });
  return {
    combinations,
    tokens: count(request.tokens, 'tokens', BENCHMARK_DEFAULTS.tokens, BENCHMARK_LIMITS.tokens),
    batchSize: count(request.batchSize, 'batchSize', BENCHMARK_DEFAULTS.batchSize, BENCHMARK_LIMITS.batchSize),
  };
}

function count(value: number | undefined, name: string, fallback: number, limits: { min: number; max: number }): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < limits.min || value > limits.max) {
    throw new GlassboxError('BAD_INPUT', `${name} must be a whole number from ${limits.min} to ${limits.max}, got ${String(value)}.`);
  }
  return value;
}
