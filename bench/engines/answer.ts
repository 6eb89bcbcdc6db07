import type { BenchmarkResult } from '../../src/core/contract/benchmark-types';

/** What the benchmark page hands its driver: the worker's benchmark, or why there is none. */
export type BenchPageAnswer = { result: BenchmarkResult; error?: undefined } | { result?: undefined; error: string };
