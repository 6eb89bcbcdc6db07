/** How explanation components write LIME weights. */

/** A weight with its sign, e.g. "+0.132" or "−0.048" (a true minus sign, as in print). */
export function formatWeight(weight: number): string {
  return `${weight < 0 ? '\u2212' : '+'}${Math.abs(weight).toFixed(3)}`;
}

/** How a weight reads in words, for tooltips and screen readers. */
export function describeWeight(weight: number, label: string): string {
  return `${formatWeight(weight)} ${weight < 0 ? 'against' : 'towards'} ${label}`;
}
