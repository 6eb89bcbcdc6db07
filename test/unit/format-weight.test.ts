import { describe, expect, it } from 'vitest';
import { describeWeight, formatWeight } from '../../src/ui/format-weight';

describe('formatWeight', () => {
  it('writes the sign, a true minus, and three decimals', () => {
    expect(formatWeight(0.13249)).toBe('+0.132');
    expect(formatWeight(-0.0476)).toBe('\u22120.048');
    expect(formatWeight(0)).toBe('+0.000');
  });

  it('keeps two significant digits of weights too small for three decimals', () => {
    expect(formatWeight(0.00123)).toBe('+0.0012');
    expect(formatWeight(-0.000046)).toBe('\u22120.000046');
    expect(formatWeight(0.01)).toBe('+0.010');
  });

  it('says which way a weight pushes', () => {
    expect(describeWeight(0.2, 'sport')).toBe('+0.200 towards sport');
    expect(describeWeight(-0.2, 'sport')).toBe('\u22120.200 against sport');
  });
});
