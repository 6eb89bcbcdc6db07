/**
 * Word-weight bar charts drawn as a PNG, for the pictures glassbox exports: a title, lines that say
 * what made it, then sections of two-sided bars (towards a label to the right, against it to the
 * left), lengths relative to the largest weight in their section: each section is one label's
 * chart, and a label whose weights are all small must still be readable (the numbers say how large).
 */
const WIDTH = 800;
const ROW = 28;
const SECTION_HEAD = 34;
/** Drawn at twice its size, so the picture stays sharp on high-density screens and in documents. */
const PIXEL_RATIO = 2;
const COLORS = { text: '#1d1f23', muted: '#555', towards: '#d9480f', against: '#1c7ed6', axis: '#999' } as const;

export interface ChartBar {
  word: string;
  weight: number;
  /** What is written at the end of the row, e.g. "+0.132". */
  value: string;
}

export interface ChartSection {
  /** Written above the bars; none for a picture of one section. */
  heading?: string;
  bars: readonly ChartBar[];
}

export async function wordChartPng(title: string, lines: readonly string[], sections: readonly ChartSection[]): Promise<Blob> {
  const head = 48 + lines.length * 20 + 8;
  const sectionHeight = (section: ChartSection) => (section.heading ? SECTION_HEAD : 0) + Math.max(1, section.bars.length) * ROW + 12;
  const height = head + sections.reduce((sum, section) => sum + sectionHeight(section), 0) + 12;
  const canvas = new OffscreenCanvas(WIDTH * PIXEL_RATIO, height * PIXEL_RATIO);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('This browser cannot draw a picture (no 2D canvas).');
  g.scale(PIXEL_RATIO, PIXEL_RATIO);
  g.fillStyle = '#fff';
  g.fillRect(0, 0, WIDTH, height);
  g.fillStyle = COLORS.text;
  g.font = '600 20px system-ui, sans-serif';
  g.fillText(title, 24, 36, WIDTH - 48);
  g.font = '14px system-ui, sans-serif';
  g.fillStyle = COLORS.muted;
  lines.forEach((line, i) => g.fillText(line, 24, 62 + i * 20, WIDTH - 48));

  const wordsRight = 200;
  const valuesLeft = WIDTH - 150;
  const middle = (wordsRight + 12 + valuesLeft - 12) / 2;
  const half = (valuesLeft - 12 - (wordsRight + 12)) / 2;
  let y = head;
  for (const section of sections) {
    const largest = Math.max(0, ...section.bars.map((bar) => Math.abs(bar.weight))) || 1;
    if (section.heading) {
      g.fillStyle = COLORS.text;
      g.font = '600 16px system-ui, sans-serif';
      g.textAlign = 'left';
      g.fillText(section.heading, 24, y + 22, WIDTH - 48);
      g.font = '14px system-ui, sans-serif';
      y += SECTION_HEAD;
    }
    g.strokeStyle = COLORS.axis;
    g.beginPath();
    g.moveTo(middle, y - 6);
    g.lineTo(middle, y + section.bars.length * ROW);
    g.stroke();
    section.bars.forEach((bar, i) => {
      const top = y + i * ROW;
      const length = (Math.abs(bar.weight) / largest) * half;
      g.fillStyle = bar.weight < 0 ? COLORS.against : COLORS.towards;
      g.fillRect(bar.weight < 0 ? middle - length : middle, top + 4, length, ROW - 10);
      g.fillStyle = COLORS.text;
      g.textAlign = 'right';
      g.fillText(bar.word, wordsRight, top + 18, wordsRight - 24);
      g.textAlign = 'left';
      g.fillText(bar.value, valuesLeft, top + 18);
    });
    y += Math.max(1, section.bars.length) * ROW + 12;
  }
  return canvas.convertToBlob({ type: 'image/png' });
}
