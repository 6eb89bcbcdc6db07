import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
/**
 * The miniature copy of the training data the tests read (test/fixtures/data, written by
 * training/make_test_corpus.py): the suite needs nothing beside the repository.
 */
export const TEST_DATA = resolve(REPO_ROOT, 'test/fixtures/data');

/** Debian's interpreter carries torch/numpy/sklearn/onnx; a pyenv or venv `python3` may not. */
export const PYTHON = process.env.GLASSBOX_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

/** Runs `python3 -m module args` from the repository root and returns stdout; throws with stderr. */
export function runPython(module: string, args: string[], input?: string, timeoutMs = 600_000): string {
  const result = spawnSync(PYTHON, ['-m', module, ...args], {
    cwd: REPO_ROOT,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: timeoutMs,
  });
  if (result.status !== 0) {
    throw new Error(`python -m ${module} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stderr}`);
  }
  return result.stdout;
}
