import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { WordWeight } from '../core/contract/explanation-types';
import { describeWeight, formatWeight } from './format-weight';
import { visuallyHidden } from './shared-styles';

/**
 * The top word weights for one label as a two-sided bar chart, like the reference LIME's
 * "NOT label | label" chart: bars to the right push the model towards the label, bars to the left
 * away from it. Bar lengths are relative to the largest weight shown.
 *
 * @cssprop --gb-towards-color - Bars that push towards the label.
 * @cssprop --gb-against-color - Bars that push away from the label.
 */
@customElement('gb-word-chart')
export class GbWordChart extends LitElement {
  static override styles = [
    visuallyHidden,
    css`
      :host {
        display: block;
        font: inherit;
        --_towards: var(--gb-towards-color, #d9480f);
        --_against: var(--gb-against-color, #1c7ed6);
      }
      .sides,
      li {
        display: grid;
        grid-template-columns: minmax(4rem, 9rem) 1fr 1fr 4.5rem;
        align-items: center;
        gap: 0 0.25rem;
      }
      .sides {
        font-size: 0.85em;
        font-weight: 600;
      }
      .sides .against {
        grid-column: 2;
        text-align: right;
        color: var(--_against);
      }
      .sides .towards {
        grid-column: 3;
        color: var(--_towards);
      }
      ol {
        list-style: none;
        margin: 0.25rem 0 0;
        padding: 0;
      }
      li {
        min-height: 1.6rem;
      }
      .word {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        text-align: right;
      }
      .track {
        display: flex;
        height: 1.1rem;
        position: relative;
      }
      .spread {
        position: absolute;
        top: 45%;
        height: 10%;
        background: currentColor;
        opacity: 0.7;
      }
      .track.against {
        justify-content: flex-end;
        border-right: 1px solid currentColor;
      }
      .bar {
        display: block;
        height: 100%;
        min-width: 2px;
      }
      .against .bar {
        background: var(--_against);
      }
      .towards .bar {
        background: var(--_towards);
      }
      .value {
        font-variant-numeric: tabular-nums;
        font-size: 0.85em;
      }
      .empty {
        margin: 0;
        font-style: italic;
      }
    `,
  ];

  /** Word weights for `label`; the largest |weight| are shown. */
  @property({ attribute: false }) weights: WordWeight[] = [];
  /** The label the weights explain. */
  @property() label = '';
  /** How many words to show. */
  @property({ type: Number, attribute: 'max-words' }) maxWords = 10;

  /** The weight give or take its spread, as a line across the bar's end (clipped to the track). */
  private whisker(w: WordWeight, largest: number) {
    if (!w.spread) return nothing;
    const from = Math.max(0, (Math.abs(w.weight) - w.spread) / largest) * 100;
    const to = Math.min(1, (Math.abs(w.weight) + w.spread) / largest) * 100;
    const side = w.weight < 0 ? 'right' : 'left';
    return html`<span class="spread" style=${styleMap({ [side]: `${from}%`, width: `${Math.max(0, to - from)}%` })}></span>`;
  }

  override render() {
    const shown = [...this.weights].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, this.maxWords);
    if (shown.length === 0) return html`<p class="empty">No word weights to show.</p>`;
    const largest = Math.max(...shown.map((w) => Math.abs(w.weight))) || 1;
    const bar = (w: WordWeight) =>
      html`<span class="bar" style=${styleMap({ width: `${(Math.abs(w.weight) / largest) * 100}%` })}></span>${this.whisker(w, largest)}`;
    return html`
      <div class="sides" aria-hidden="true">
        <span class="against">NOT ${this.label}</span><span class="towards">${this.label}</span>
      </div>
      <ol aria-label="Words with the most weight for ${this.label}">
        ${repeat(
          shown,
          (w) => w.word,
          (w) => html`
            <li>
              <span class="word" title=${w.word}>${w.word}</span>
              <span class="track against" aria-hidden="true">${w.weight < 0 ? bar(w) : nothing}</span>
              <span class="track towards" aria-hidden="true">${w.weight >= 0 ? bar(w) : nothing}</span>
              <span class="value" aria-hidden="true">${formatWeight(w.weight)}</span>
              <span class="visually-hidden"
                >${describeWeight(w.weight, this.label)}${w.spread !== undefined ? ` (give or take ${formatWeight(w.spread)})` : ''}</span
              >
            </li>
          `,
        )}
      </ol>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-word-chart': GbWordChart;
  }
}
