import type { Explanation, LabelExplanation } from '../core/contract/explanation-types';

/** The ways an explanation can be taken away. */
export const EXPORT_FORMATS = Object.freeze(['html', 'png', 'json'] as const);
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What the explanation alone does not say: which model explained it, on what, and when. */
export interface ExportContext {
  model: string;
  engine: string;
  backend: string;
  /** When the file is made (default now). */
  date?: Date;
}

/** The label of the explanation to export: the one asked for, else the predicted one (listed first). */
export function exportedLabel(explanation: Explanation, labelIndex?: number): LabelExplanation {
  return explanation.perLabel.find((label) => label.labelIndex === labelIndex) ?? explanation.perLabel[0] ?? explanation;
}

/** A name as it goes into a file name: lower case, runs of anything but letters and digits as one "-". */
export function fileNamePart(value: string, fallback: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || fallback;
}
