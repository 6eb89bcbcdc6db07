import type { Explanation } from '../core/contract/explanation-types';
import { formatPercent } from '../core/model-folder/model-card';
import { METHOD_NAMES } from './explain-method-text';
import { exportedLabel, type ExportContext } from './export-format';
import { formatWeight } from './format-weight';

const WIDTH = 800;
const ROW = 28;
const HEAD = 104;
/** Drawn at twice its size, so the picture stays sharp on high-density screens and in documents. */
const PIXEL_RATIO = 2;
const COLORS = { text: '#1d1f23', muted: '#555', towards: '#d9480f', against: '#1c7ed6', axis: '#999' } as const;

/** One explained label's ten strongest words as a PNG chart, with the model, method, label and date written on it. */
export async function explanationPng(explanation: Explanation, context: ExportContext, labelIndex?: number): Promise<Blob> {
  const label = exportedLabel(explanation, labelIndex);
  const top = label.weights.slice(0, 10);
  const height = HEAD + Math.max(1, top.length) * ROW + 24;
  const canvas = new OffscreenCanvas(WIDTH * PIXEL_RATIO, height * PIXEL_RATIO);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('This browser cannot draw a picture (no 2D canvas).');
  g.scale(PIXEL_RATIO, PIXEL_RATIO);
  g.fillStyle = '#fff';
  g.fillRect(0, 0, WIDTH, height);
  g.fillStyle = COLORS.text;
  g.font = '600 20px system-ui, sans-serif';
  g.fillText(`Why ${label.label}? (probability ${formatPercent(label.probability)})`, 24, 36);
  g.font = '14px system-ui, sans-serif';
  g.fillStyle = COLORS.muted;
  g.fillText(`${context.model} on ${context.engine} / ${context.backend} · ${METHOD_NAMES[explanation.method]}, ${explanation.modelRuns.toLocaleString('en')} model runs`, 24, 62);
  const scale = explanation.scale === 'log-odds' ? 'log-odds' : 'probability';
  g.fillText(`Weights in ${scale} of ${label.label} · made ${(context.date ?? new Date()).toISOString()} with glassbox`, 24, 82);

  const wordsRight = 200;
  const valuesLeft = WIDTH - 96;
  const middle = (wordsRight + 12 + valuesLeft - 12) / 2;
  const half = (valuesLeft - 12 - (wordsRight + 12)) / 2;
  const largest = Math.max(0, ...top.map((w) => Math.abs(w.weight))) || 1;
  g.strokeStyle = COLORS.axis;
  g.beginPath();
  g.moveTo(middle, HEAD - 6);
  g.lineTo(middle, HEAD + top.length * ROW);
  g.stroke();
  top.forEach((w, i) => {
    const y = HEAD + i * ROW;
    const length = (Math.abs(w.weight) / largest) * half;
    g.fillStyle = w.weight < 0 ? COLORS.against : COLORS.towards;
    g.fillRect(w.weight < 0 ? middle - length : middle, y + 4, length, ROW - 10);
    g.fillStyle = COLORS.text;
    g.textAlign = 'right';
    g.fillText(w.word, wordsRight, y + 18, wordsRight - 24);
    g.textAlign = 'left';
    g.fillText(formatWeight(w.weight), valuesLeft, y + 18);
  });
  return canvas.convertToBlob({ type: 'image/png' });
}
