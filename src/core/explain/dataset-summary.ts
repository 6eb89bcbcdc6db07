/**
 * The words that drive each label across a dataset, from the rows explained one by one: per
 * predicted label, a word's mean weight over the rows it appears in, and the rows where it weighed
 * the most. With true labels, the same split into rows predicted correctly and wrongly: what the
 * model relies on when it errs. Words are counted in lower case, a row's occurrences added up.
 */
import type { DatasetGroup, DatasetRow, DatasetSummary, GroupWords, WordStat } from '../contract/dataset-types';

/** Words shown per list, and rows kept per word for the click-through. */
export const SUMMARY_SIZES = Object.freeze({ toward: 15, against: 5, topRows: 10 });

/**
 * A word seen in one or two rows of a large group says little about the model, however large its
 * weight: it must appear in at least 1% of the group's rows, and in at least two once the group
 * has ten rows.
 */
export function minRowsFor(groupRows: number): number {
  if (groupRows < 10) return 1;
  return Math.max(2, Math.ceil(groupRows / 100));
}

export function summarizeDataset(rows: readonly DatasetRow[], labels: readonly string[]): DatasetSummary {
  const labelled = isLabelled(rows);
  return {
    labels: labels.map((label, labelIndex) => ({
      label,
      labelIndex,
      groups: Object.fromEntries(labelGroups(rows, labelIndex, labelled).map(([group, members]) => [group, groupWords(rows, members)])),
    })),
    labelled,
    rows: rows.length,
  };
}

/** Every word of every group with its numbers, for the CSV download: label, group, then WordStat order. */
export function datasetWordTable(rows: readonly DatasetRow[], labels: readonly string[]): string[][] {
  const header = ['label', 'group', 'word', 'rows', 'mean_weight', 'total_weight', 'top_rows'];
  const table: string[][] = [header];
  const labelled = isLabelled(rows);
  labels.forEach((label, labelIndex) => {
    for (const [group, members] of labelGroups(rows, labelIndex, labelled)) {
      for (const stat of [...wordStats(rows, members).values()].sort(byMeanDescending)) {
        const top = stat.topRows.map((i) => String(rows[i].row)).join(' ');
        table.push([label, group, stat.word, String(stat.rows), String(stat.meanWeight), String(stat.totalWeight), top]);
      }
    }
  });
  return table;
}

function isLabelled(rows: readonly DatasetRow[]): boolean {
  return rows.some((row) => row.truth !== undefined);
}

/** The rows (indices) of each group of one label: all it was predicted for, then, with true labels, correct and wrong. */
function labelGroups(rows: readonly DatasetRow[], labelIndex: number, labelled: boolean): [DatasetGroup, number[]][] {
  const predicted = rowIndexes(rows, (row) => row.predicted === labelIndex);
  if (!labelled) return [['all', predicted]];
  return [
    ['all', predicted],
    ['correct', predicted.filter((i) => rows[i].truth === labelIndex)],
    ['wrong', predicted.filter((i) => rows[i].truth !== undefined && rows[i].truth !== labelIndex)],
  ];
}

function rowIndexes(rows: readonly DatasetRow[], keep: (row: DatasetRow) => boolean): number[] {
  const out: number[] = [];
  rows.forEach((row, i) => {
    if (keep(row)) out.push(i);
  });
  return out;
}

function groupWords(rows: readonly DatasetRow[], members: readonly number[]): GroupWords {
  const minRows = minRowsFor(members.length);
  const ranked = [...wordStats(rows, members).values()].filter((stat) => stat.rows >= minRows);
  return {
    rows: members.length,
    minRows,
    toward: ranked.filter((stat) => stat.meanWeight > 0).sort(byMeanDescending).slice(0, SUMMARY_SIZES.toward),
    against: ranked
      .filter((stat) => stat.meanWeight < 0)
      .sort((a, b) => a.meanWeight - b.meanWeight || a.word.localeCompare(b.word))
      .slice(0, SUMMARY_SIZES.against),
  };
}

function byMeanDescending(a: WordStat, b: WordStat): number {
  return b.meanWeight - a.meanWeight || b.rows - a.rows || a.word.localeCompare(b.word);
}

/** Per lower-cased word: rows, mean and total weight, and the rows where it weighed the most. */
function wordStats(rows: readonly DatasetRow[], members: readonly number[]): Map<string, WordStat> {
  const occurrences = new Map<string, { row: number; weight: number }[]>();
  for (const row of members) {
    for (const [word, weight] of rowWeights(rows[row])) {
      const seen = occurrences.get(word) ?? [];
      seen.push({ row, weight });
      occurrences.set(word, seen);
    }
  }
  const stats = new Map<string, WordStat>();
  for (const [word, seen] of occurrences) {
    const totalWeight = seen.reduce((sum, o) => sum + o.weight, 0);
    const top = [...seen].sort((a, b) => b.weight - a.weight || a.row - b.row).slice(0, SUMMARY_SIZES.topRows);
    stats.set(word, { word, rows: seen.length, meanWeight: totalWeight / seen.length, totalWeight, topRows: top.map((o) => o.row) });
  }
  return stats;
}

/** A row's weight per lower-cased word: "Great" and "great" are one word, their weights added. */
export function rowWeights(row: DatasetRow): Map<string, number> {
  const weights = new Map<string, number>();
  for (const { word, weight } of row.words) {
    const key = word.toLocaleLowerCase();
    weights.set(key, (weights.get(key) ?? 0) + weight);
  }
  return weights;
}
