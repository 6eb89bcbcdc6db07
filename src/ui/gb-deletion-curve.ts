import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { DeletionCurve } from '../core/contract/explanation-types';
import { formatPercent } from '../core/model-folder/model-card';

const WIDTH = 360;
const HEIGHT = 200;
const PAD = { left: 40, right: 12, top: 12, bottom: 34 };

/**
 * The faithfulness deletion curve: the label's probability as the explanation's most supportive words are
 * deleted one after another, against deleting as many words at random. A faithful explanation's
 * curve falls below the random one.
 *
 * @cssprop --gb-towards-color - The explanation's curve.
 * @cssprop --gb-random-color - The random-deletion curve.
 */
@customElement('gb-deletion-curve')
export class GbDeletionCurve extends LitElement {
  static override styles = css`
    :host {
      display: block;
      --_lime: var(--gb-towards-color, #d9480f);
      --_random: var(--gb-random-color, #6c757d);
    }
    figure {
      margin: 0;
    }
    svg {
      width: 100%;
      max-width: 36rem;
      height: auto;
      overflow: visible;
      font-size: 11px;
    }
    .axis {
      stroke: currentColor;
      stroke-width: 1;
    }
    .grid {
      stroke: currentColor;
      stroke-opacity: 0.15;
    }
    text {
      fill: currentColor;
    }
    .lime {
      --_color: var(--_lime);
    }
    .random {
      --_color: var(--_random);
    }
    polyline {
      fill: none;
      stroke: var(--_color);
      stroke-width: 2;
    }
    polyline.random {
      stroke-dasharray: 5 4;
    }
    circle {
      fill: var(--_color);
    }
    figcaption {
      font-size: 0.9em;
    }
    .legend {
      display: flex;
      gap: 1rem;
      flex-wrap: wrap;
    }
    .swatch {
      display: inline-block;
      width: 1.5em;
      height: 0.25em;
      vertical-align: middle;
      margin-right: 0.3em;
      background: var(--_color);
    }
  `;

  @property({ attribute: false }) curve: DeletionCurve | null = null;

  override render() {
    const curve = this.curve;
    if (!curve) return html``;
    const maxK = curve.lime.length - 1;
    if (maxK < 1) {
      return html`<p>No word in this explanation pushes towards ${curve.label}, so there is nothing to delete.</p>`;
    }
    const x = (k: number) => PAD.left + (k / maxK) * (WIDTH - PAD.left - PAD.right);
    const y = (p: number) => PAD.top + (1 - p) * (HEIGHT - PAD.top - PAD.bottom);
    const line = (values: number[], name: string) => svg`
      <polyline class=${name} points=${values.map((p, k) => `${x(k)},${y(p)}`).join(' ')}></polyline>
      ${values.map((p, k) => svg`<circle class=${name} cx=${x(k)} cy=${y(p)} r="3"></circle>`)}`;
    const summary =
      `Deleting the top ${maxK} words by explanation weight takes P(${curve.label}) from ${formatPercent(curve.lime[0])} ` +
      `to ${formatPercent(curve.lime[maxK])}; deleting ${maxK} random words, to ${formatPercent(curve.random[maxK])} ` +
      `(mean of ${curve.randomDraws} draws).`;
    return html`
      <figure>
        <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label=${summary}>
          ${[0, 0.25, 0.5, 0.75, 1].map(
            (p) => svg`
              <line class="grid" x1=${PAD.left} x2=${WIDTH - PAD.right} y1=${y(p)} y2=${y(p)}></line>
              <text x=${PAD.left - 6} y=${y(p) + 4} text-anchor="end">${p.toFixed(2)}</text>`,
          )}
          <line class="axis" x1=${PAD.left} x2=${PAD.left} y1=${PAD.top} y2=${HEIGHT - PAD.bottom}></line>
          <line class="axis" x1=${PAD.left} x2=${WIDTH - PAD.right} y1=${HEIGHT - PAD.bottom} y2=${HEIGHT - PAD.bottom}></line>
          ${curve.lime.map(
            (_, k) => svg`<text x=${x(k)} y=${HEIGHT - PAD.bottom + 14} text-anchor="middle">${k}</text>`,
          )}
          <text x=${(PAD.left + WIDTH - PAD.right) / 2} y=${HEIGHT - 4} text-anchor="middle">words deleted</text>
          ${line(curve.random, 'random')} ${line(curve.lime, 'lime')}
        </svg>
        <figcaption>
          <div class="legend">
            <span><span class="swatch lime"></span>The explanation's top words for ${curve.label}</span>
            <span><span class="swatch random"></span>random words (mean of ${curve.randomDraws})</span>
          </div>
          <p>${summary}</p>
          <p>Deleted in order: ${curve.words.join(', ')}</p>
        </figcaption>
      </figure>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-deletion-curve': GbDeletionCurve;
  }
}
