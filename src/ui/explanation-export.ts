import type { Explanation, LabelExplanation } from '../core/contract/explanation-types';
import { formatPercent } from '../core/model-folder/model-card';
import { METHOD_NAMES } from './explain-method-text';
import { exportedLabel, fileNamePart, type ExportContext, type ExportFormat } from './export-format';
import { formatWeight } from './format-weight';
import { highlightSegments } from './highlight-segments';
import { chartRow, escapeHtml, htmlDocument } from './html-document';

/** Every number of the explanation with what made it, as one JSON document. */
export function explanationJson(explanation: Explanation, context: ExportContext): string {
  const { date = new Date(), ...made } = context;
  return JSON.stringify({ format: 'glassbox-explanation', version: 1, createdAt: date.toISOString(), ...made, explanation }, null, 2);
}

/** A file name for the export, e.g. "glassbox-sentiment-kernelshap-negative.html". */
export function exportFileName(explanation: Explanation, label: LabelExplanation, context: ExportContext, format: ExportFormat): string {
  return `glassbox-${fileNamePart(context.model, 'x')}-${explanation.method}-${fileNamePart(label.label, 'x')}.${format}`;
}

/**
 * One explained label as a self-contained HTML page that opens offline: the text with its words
 * highlighted, the word-weight chart, every weight, faithfulness and stability, the model, method
 * and date (htmlDocument: no script, nothing outside the file).
 */
export function explanationHtml(explanation: Explanation, context: ExportContext, labelIndex?: number): string {
  const label = exportedLabel(explanation, labelIndex);
  const date = context.date ?? new Date();
  const largest = Math.max(0, ...label.weights.map((w) => Math.abs(w.weight))) || 1;
  const highlighted = highlightSegments(explanation.text, label.weights)
    .map((segment) =>
      'weight' in segment
        ? `<mark class="${segment.weight < 0 ? 'against' : 'towards'}" style="--strength: ${segment.strength.toFixed(3)}" title="${formatWeight(segment.weight)}">${escapeHtml(segment.text)}</mark>`
        : escapeHtml(segment.text),
    )
    .join('');
  const chart = label.weights
    .slice(0, 10)
    .map((w) => chartRow(w.word, w.weight, largest, formatWeight(w.weight)))
    .join('\n');
  const rows = label.weights
    .map((w) => `<tr><td>${escapeHtml(w.word)}</td><td class="number">${formatWeight(w.weight)}</td><td class="number">${w.spread === undefined ? '' : formatWeight(w.spread)}</td></tr>`)
    .join('\n');
  const facts: [string, string][] = [
    ['Model', `${context.model} (${context.engine} / ${context.backend})`],
    ['Label', `${label.label}, probability ${formatPercent(label.probability)}`],
    ['Method', `${METHOD_NAMES[explanation.method]}, ${explanation.modelRuns.toLocaleString('en')} model runs, ${explanation.samples.toLocaleString('en')} samples, seed ${explanation.seed}`],
    ['Weights', explanation.scale === 'log-odds' ? `in log-odds of ${label.label}` : `in probability of ${label.label}`],
    ...(explanation.comprehensiveness && explanation.sufficiency
      ? ([
          ['Comprehensiveness', `${explanation.comprehensiveness.aopc.toFixed(3)} (random words: ${explanation.comprehensiveness.random.toFixed(3)}; higher is more faithful)`],
          ['Sufficiency', `${explanation.sufficiency.aopc.toFixed(3)} (random words: ${explanation.sufficiency.random.toFixed(3)}; lower is more faithful)`],
        ] as [string, string][])
      : []),
    ...(explanation.stability ? ([['Stability', `${Math.round(explanation.stability.topKAgreement * explanation.stability.k)} of the top ${explanation.stability.k} words agree on two halves of the samples`]] as [string, string][]) : []),
    ['Made', `${date.toISOString()} with glassbox`],
  ];
  const body = `<h2>The text, highlighted for ${escapeHtml(label.label)}</h2>
<p class="text">${highlighted}</p>
<h2>Words that push towards (orange) or against (blue) ${escapeHtml(label.label)}</h2>
<table class="chart">
${chart}
</table>
<h2>Every weight</h2>
<table class="weights">
<thead><tr><th>word</th><th>weight</th><th>spread</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
  return htmlDocument(`Why ${label.label}? ${METHOD_NAMES[explanation.method]} explanation`, facts, body);
}

/** The explanation as a file of `format`, for a download or the element's exportExplanation(). */
export async function exportExplanation(explanation: Explanation, context: ExportContext, format: ExportFormat, labelIndex?: number): Promise<Blob> {
  if (format === 'html') return new Blob([explanationHtml(explanation, context, labelIndex)], { type: 'text/html;charset=utf-8' });
  if (format === 'json') return new Blob([explanationJson(explanation, context)], { type: 'application/json' });
  // Drawing needs a canvas: loaded only when a picture is asked for.
  const { explanationPng } = await import('./explanation-png');
  return explanationPng(explanation, context, labelIndex);
}
