/**
 * Matches label values from a file to the model's labels: without regard to case or to spaces
 * around them, so "Sport", "sport " and "SPORT" are all the label "sport". Returns the label's
 * index, or undefined for a value that is none of them.
 */
export function createLabelMatcher(labels: readonly string[]): (value: string) => number | undefined {
  const index = new Map<string, number>();
  labels.forEach((label, i) => {
    const key = label.trim().toLowerCase();
    if (!index.has(key)) index.set(key, i);
  });
  return (value) => index.get(value.trim().toLowerCase());
}
