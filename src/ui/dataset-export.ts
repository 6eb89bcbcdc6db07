import { toCsvLines } from '../core/batch/results-csv';
import type { DatasetExplanation, DatasetGroup, GroupWords } from '../core/contract/dataset-types';
import { datasetWordTable } from '../core/explain/dataset-summary';
import { GROUP_NAMES, type DatasetExportFormat } from './dataset-text';
import { fileNamePart, type ExportContext } from './export-format';
import { formatWeight } from './format-weight';
import { chartRow, escapeHtml, htmlDocument } from './html-document';
import { wordChartPng } from './word-chart-png';

/**
 * The file of `format`: every word of every group (CSV), every number and row (JSON), the page's
 * lists (HTML), or each label's strongest words as a chart (PNG).
 */
export async function exportDataset(explanation: DatasetExplanation, context: ExportContext, format: DatasetExportFormat): Promise<Blob> {
  if (format === 'csv') {
    // A byte-order mark, so that a spreadsheet reads the words as UTF-8.
    return new Blob(['\ufeff', toCsvLines(datasetWordTable(explanation.rows, explanation.labels), ',')], { type: 'text/csv;charset=utf-8' });
  }
  if (format === 'json') return new Blob([datasetJson(explanation, context)], { type: 'application/json' });
  if (format === 'png') return datasetPng(explanation, context);
  return new Blob([datasetHtml(explanation, context)], { type: 'text/html;charset=utf-8' });
}

/** Words per label in the picture: the strongest toward it, then the strongest away from it. */
const PICTURE_WORDS = { toward: 6, against: 2 };

/** Per label, over every row predicted as it, the words that push the most toward and away from it. */
function datasetPng(explanation: DatasetExplanation, context: ExportContext): Promise<Blob> {
  const sections = explanation.summary.labels
    .filter((label) => (label.groups.all?.rows ?? 0) > 0)
    .map((label) => {
      const all = label.groups.all as GroupWords;
      const words = [...all.toward.slice(0, PICTURE_WORDS.toward), ...all.against.slice(0, PICTURE_WORDS.against)];
      return {
        heading: `${label.label}: ${all.rows.toLocaleString('en')} rows predicted`,
        bars: words.map((w) => ({ word: w.word, weight: w.meanWeight, value: `${formatWeight(w.meanWeight)} · ${w.rows.toLocaleString('en')} rows` })),
      };
    });
  return wordChartPng(
    `Which words drive each label across ${explanation.rows.length.toLocaleString('en')} rows`,
    [`${context.model} on ${context.engine} / ${context.backend} · ${describeRows(explanation)}`, describeMethod(explanation), `Mean weight: ${MEAN_WEIGHT}`],
    sections,
  );
}

/** "glassbox-news-topic-dataset-words.csv", "glassbox-news-topic-dataset.json". */
export function datasetFileName(context: ExportContext, format: DatasetExportFormat): string {
  return `glassbox-${fileNamePart(context.model, 'model')}-dataset${format === 'csv' ? '-words' : ''}.${format}`;
}

export function datasetJson(explanation: DatasetExplanation, context: ExportContext): string {
  const { date = new Date(), ...made } = context;
  return JSON.stringify({ format: 'glassbox-dataset-explanation', version: 1, createdAt: date.toISOString(), ...made, explanation }, null, 2);
}

/** What was explained, how and when, for the exported page. */
function datasetFacts(explanation: DatasetExplanation, context: ExportContext): [string, string][] {
  return [
    ['Model', `${context.model} (${context.engine} / ${context.backend})`],
    ['Rows', describeRows(explanation)],
    ['Method', describeMethod(explanation)],
    ['Weights', MEAN_WEIGHT],
    ['Made', `${(context.date ?? new Date()).toISOString()} with glassbox`],
  ];
}

const MEAN_WEIGHT = "a word's drop in the predicted label's probability without it, averaged over the rows it appears in";

function describeRows(explanation: DatasetExplanation): string {
  const count = (n: number) => n.toLocaleString('en');
  const rows = explanation.sample
    ? `${count(explanation.rows.length)} of ${count(explanation.explainable)} rows with text, drawn at random (seed ${explanation.sample.seed})`
    : `${count(explanation.rows.length)} of ${count(explanation.explainable)} rows with text`;
  return explanation.stopped ? `${rows}; stopped before the end: ${explanation.stopped}` : rows;
}

function describeMethod(explanation: DatasetExplanation): string {
  return `leave one word out, for the predicted label; ${explanation.modelRuns.toLocaleString('en')} model runs in ${(explanation.ms / 1000).toFixed(1)} s`;
}

/** Per label and group, the words that push toward and away from it, as a page with no script. */
export function datasetHtml(explanation: DatasetExplanation, context: ExportContext): string {
  const sections = explanation.summary.labels.map((label) => {
    const groups = (Object.entries(label.groups) as [DatasetGroup, GroupWords][])
      .map(([group, words]) => `<h3>${escapeHtml(label.label)}: ${GROUP_NAMES[group]} (${words.rows.toLocaleString('en')} rows)</h3>\n${groupTable(words)}`)
      .join('\n');
    return `<h2>${escapeHtml(label.label)}</h2>\n${groups}`;
  });
  return htmlDocument(`Which words drive each label across ${explanation.rows.length.toLocaleString('en')} rows`, datasetFacts(explanation, context), sections.join('\n'));
}

function groupTable(words: GroupWords): string {
  const shown = [...words.toward, ...words.against];
  if (shown.length === 0) return `<p>No word appears in ${words.minRows} or more of these rows.</p>`;
  const largest = Math.max(...shown.map((w) => Math.abs(w.meanWeight)));
  const rows = shown.map((w) => chartRow(w.word, w.meanWeight, largest, `${formatWeight(w.meanWeight)} · ${w.rows.toLocaleString('en')} rows`));
  return `<table class="chart">\n${rows.join('\n')}\n</table>`;
}
