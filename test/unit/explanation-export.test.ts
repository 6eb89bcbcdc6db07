import { describe, expect, it } from 'vitest';
import type { Explanation } from '../../src/core/contract/explanation-types';
import { explanationHtml, explanationJson, exportFileName } from '../../src/ui/explanation-export';
import { exportedLabel } from '../../src/ui/export-format';
import { formatWeight } from '../../src/ui/format-weight';

const TEXT = 'A <b>wonderful</b> film, but the plot was dull & "slow".';
const EXPLANATION: Explanation = {
  text: TEXT,
  method: 'kernelshap',
  scale: 'log-odds',
  label: 'negative',
  labelIndex: 0,
  probability: 0.81,
  weights: [
    { word: 'dull', weight: 1.25, spread: 0.1 },
    { word: 'wonderful', weight: -0.9, spread: 0.2 },
    { word: 'slow', weight: 0.0042 },
  ],
  perLabel: [],
  modelRuns: 400,
  samples: 400,
  evaluated: 398,
  ms: 5200,
  seed: 0,
  distinctWords: 10,
  features: 10,
  capped: false,
  comprehensiveness: { aopc: 0.41, random: 0.05 },
  sufficiency: { aopc: 0.02, random: 0.2 },
};
EXPLANATION.perLabel = [
  { label: 'negative', labelIndex: 0, probability: 0.81, weights: EXPLANATION.weights },
  { label: 'positive', labelIndex: 1, probability: 0.19, weights: EXPLANATION.weights.map((w) => ({ ...w, weight: -w.weight })) },
];
const CONTEXT = { model: 'sentiment', engine: 'onnx', backend: 'wasm', date: new Date('2026-12-06T12:00:00Z') };

describe('the exported HTML page', () => {
  const page = explanationHtml(EXPLANATION, CONTEXT);

  it('has no script, no event handler and no reference outside the file, and forbids both', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/\son[a-z]+\s*=/i);
    expect(page).not.toMatch(/\s(src|href|action|srcset)\s*=/i);
    expect(page).not.toMatch(/url\(|@import|https?:\/\//i);
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('shows the words and weights the page shows, the text as text, and what made it', () => {
    const rows = [...page.matchAll(/<tr><td>([^<]*)<\/td><td class="number">([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(EXPLANATION.weights.map((w) => [w.word, formatWeight(w.weight)]));
    const marks = [...page.matchAll(/<mark class="(towards|against)"[^>]*title="([^"]*)">([^<]*)<\/mark>/g)].map((m) => [m[3], m[1], m[2]]);
    expect(marks).toEqual([
      ['wonderful', 'against', formatWeight(-0.9)],
      ['dull', 'towards', formatWeight(1.25)],
      ['slow', 'towards', formatWeight(0.0042)],
    ]);
    expect(page).toContain('A &lt;b&gt;');
    expect(page).toContain('dull</mark> &amp; &quot;');
    for (const fact of ['sentiment (onnx / wasm)', 'Kernel SHAP, 400 model runs', 'in log-odds of negative', '2026-12-06T12:00:00.000Z', '0.410 (random words: 0.050']) {
      expect(page).toContain(fact);
    }
  });

  it('exports another explained label when asked, and names the file after model, method and label', () => {
    expect(explanationHtml(EXPLANATION, CONTEXT, 1)).toContain('Why positive?');
    expect(exportFileName(EXPLANATION, exportedLabel(EXPLANATION, 1), CONTEXT, 'html')).toBe('glassbox-sentiment-kernelshap-positive.html');
  });
});

describe('the exported JSON', () => {
  it('carries every number and what made it', () => {
    const json = JSON.parse(explanationJson(EXPLANATION, CONTEXT)) as Record<string, unknown>;
    expect(json).toMatchObject({ format: 'glassbox-explanation', version: 1, createdAt: '2026-12-06T12:00:00.000Z', model: 'sentiment', engine: 'onnx', backend: 'wasm' });
    expect(json.explanation).toEqual(JSON.parse(JSON.stringify(EXPLANATION)));
  });
});
