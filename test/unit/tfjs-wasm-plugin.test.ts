import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { locateTfjsWasm } from '../../scripts/vite-plugin-tfjs-wasm';
import { TFJS_WASM_FILES } from '../../src/engines/tfjs/wasm-files';

describe('the TF.js WebAssembly binaries the site serves', () => {
  it('are the three the installed backend can ask for, and exist', () => {
    const files = locateTfjsWasm(fileURLToPath(new URL('../..', import.meta.url)));
    expect(Object.keys(files).sort()).toEqual([...TFJS_WASM_FILES].sort());
    for (const file of TFJS_WASM_FILES) expect(statSync(files[file]).size, file).toBeGreaterThan(100_000);
  });
});
