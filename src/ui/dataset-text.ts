import type { DatasetGroup } from '../core/contract/dataset-types';

/** The ways a dataset explanation can be taken away. */
export const DATASET_EXPORT_FORMATS = Object.freeze(['csv', 'json', 'html', 'png'] as const);
export type DatasetExportFormat = (typeof DATASET_EXPORT_FORMATS)[number];

/** How the page and the exported page name each group of rows. */
export const GROUP_NAMES: Readonly<Record<DatasetGroup, string>> = Object.freeze({
  all: 'every row predicted',
  correct: 'predicted correctly',
  wrong: 'predicted wrongly',
});
