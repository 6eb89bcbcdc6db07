import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importsOf, layeringViolations, readSources } from '../helpers/layering';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the layering (ARCHITECTURE.md)', () => {
  it('holds in the code: no part imports one it may not', () => {
    const sources = readSources(ROOT);
    expect(sources.size).toBeGreaterThan(100);
    expect(layeringViolations(sources)).toEqual([]);
  });

  it('finds a forbidden import, however it is written', () => {
    const sources = new Map([
      ['src/core/pure.ts', "import { OnnxEngine } from '../engines/onnx';\n"],
      ['src/ui/gb-x.ts', "import type { Engine } from '../engines/engine';\nexport { run } from '../../workers/classifier-service';\n"],
      ['src/engines/e.ts', "const ui = await import('../ui/gb-app');\nimport '../client';\n"],
      ['src/ui/gb-ok.ts', "import { LitElement } from 'lit';\nimport { formatBytes } from '../core/model-folder/model-card';\n"],
    ]);
    expect(layeringViolations(sources).map((v) => `${v.file} -> ${v.to}`)).toEqual([
      'src/core/pure.ts -> engines',
      'src/ui/gb-x.ts -> engines',
      'src/ui/gb-x.ts -> workers',
      'src/engines/e.ts -> ui',
      'src/engines/e.ts -> client',
    ]);
  });

  it('has no import cycle, and finds one', () => {
    expect(importCycles(readSources(ROOT))).toEqual([]);
    const cycle = new Map([
      ['src/core/a.ts', "import type { B } from './b';\n"],
      ['src/core/b.ts', "import type { C } from './c';\n"],
      ['src/core/c.ts', "import { A } from './a';\n"],
      ['src/core/d.ts', "import { A } from './a';\n"],
    ]);
    expect(importCycles(cycle)).toEqual([['src/core/a.ts', 'src/core/b.ts', 'src/core/c.ts']]);
  });

  it('reads multi-line import lists', () => {
    expect(importsOf("import {\n  a,\n  b,\n} from './x';\nimport y from \"../y?worker&url\";")).toEqual(['./x', '../y?worker&url']);
  });
});
