/** How explanation components write LIME weights. */

/** Below this size three decimals would read 0.000: such weights get two significant digits instead. */
const SMALL = 0.01;

/**
 * A weight with its sign, e.g. "+0.132" or "−0.048" (a true minus sign, as in print). A very
 * confident prediction moves its probability by thousandths per word, so small weights keep two
 * significant digits ("+0.0012") rather than all reading "+0.000".
 */
export function formatWeight(weight: number): string {
  const size = Math.abs(weight);
  const digits = size === 0 || size >= SMALL ? size.toFixed(3) : size.toPrecision(2);
  return `${weight < 0 ? '\u2212' : '+'}${digits}`;
}

/** How a weight reads in words, for tooltips and screen readers. */
export function describeWeight(weight: number, label: string): string {
  return `${formatWeight(weight)} ${weight < 0 ? 'against' : 'towards'} ${label}`;
}
