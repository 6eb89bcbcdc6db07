import type { Explanation } from '../core/contract/explanation-types';
import { formatPercent } from '../core/model-folder/model-card';
import { METHOD_NAMES } from './explain-method-text';
import { exportedLabel, type ExportContext } from './export-format';
import { formatWeight } from './format-weight';
import { wordChartPng } from './word-chart-png';

/** One explained label's ten strongest words as a PNG chart, with the model, method, label and date written on it. */
export function explanationPng(explanation: Explanation, context: ExportContext, labelIndex?: number): Promise<Blob> {
  const label = exportedLabel(explanation, labelIndex);
  const scale = explanation.scale === 'log-odds' ? 'log-odds' : 'probability';
  return wordChartPng(
    `Why ${label.label}? (probability ${formatPercent(label.probability)})`,
    [
      `${context.model} on ${context.engine} / ${context.backend} · ${METHOD_NAMES[explanation.method]}, ${explanation.modelRuns.toLocaleString('en')} model runs`,
      `Weights in ${scale} of ${label.label} · made ${(context.date ?? new Date()).toISOString()} with glassbox`,
    ],
    [{ bars: label.weights.slice(0, 10).map((w) => ({ word: w.word, weight: w.weight, value: formatWeight(w.weight) })) }],
  );
}
