import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { WordWeight } from '../core/contract/explanation-types';
import { describeWeight } from './format-weight';
import { highlightSegments, type Segment } from './highlight-segments';


/**
 * The explained text with every weighted word highlighted: colour gives the direction (towards or
 * against the label), intensity the size of the weight. Hovering or focusing a word (they are in
 * the tab order) shows its weight. The text is rendered as text nodes only, never as HTML.
 *
 * @cssprop --gb-towards-color - Words that push towards the label.
 * @cssprop --gb-against-color - Words that push away from the label.
 */
@customElement('gb-highlighted-text')
export class GbHighlightedText extends LitElement {
  static override styles = css`
    :host {
      display: block;
      --_towards: var(--gb-towards-color, #d9480f);
      --_against: var(--gb-against-color, #1c7ed6);
    }
    p {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      line-height: 1.8;
    }
    mark {
      position: relative;
      isolation: isolate;
      background: none;
      color: inherit;
      border-radius: 0.2em;
      padding: 0 0.05em;
      text-decoration: underline 2px var(--_color);
      text-underline-offset: 0.2em;
    }
    mark::before {
      content: '';
      position: absolute;
      inset: 0;
      z-index: -1;
      border-radius: inherit;
      background: var(--_color);
      opacity: calc(0.08 + 0.72 * var(--strength));
    }
    /* Dotted underline as well as colour, so direction does not rest on colour alone. */
    .towards {
      --_color: var(--_towards);
    }
    .against {
      --_color: var(--_against);
      text-decoration-style: dotted;
    }
    mark:focus-visible {
      outline: 2px solid var(--_color);
      outline-offset: 1px;
    }
    [role='tooltip'] {
      display: none;
      position: absolute;
      left: 0;
      bottom: calc(100% + 0.3em);
      z-index: 1;
      padding: 0.15em 0.45em;
      border-radius: 0.3em;
      background: #212529;
      color: #fff;
      font-size: 0.8em;
      line-height: 1.4;
      white-space: nowrap;
      pointer-events: none;
    }
    mark:hover [role='tooltip'],
    mark:focus [role='tooltip'] {
      display: block;
    }
  `;

  /** The text that was explained. */
  @property() text = '';
  /** Word weights for `label` (words without a weight are not highlighted). */
  @property({ attribute: false }) weights: WordWeight[] = [];
  /** The label the weights explain. */
  @property() label = '';

  private segments: Segment[] = [];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('text') || changed.has('weights')) this.segments = highlightSegments(this.text, this.weights);
  }

  override render() {
    // The paragraph keeps white space (pre-wrap): nothing may sit between <p> and the text but the text.
    const segments = this.segments.map((segment, i) =>
      'weight' in segment
        ? html`<mark
            class=${segment.weight < 0 ? 'against' : 'towards'}
            style=${styleMap({ '--strength': segment.strength.toFixed(3) })}
            tabindex="0"
            aria-describedby="weight-${i}"
            >${segment.text}<span role="tooltip" id="weight-${i}"
              >${describeWeight(segment.weight, this.label)}</span
            ></mark
          >`
        : segment.text,
    );
    return html`<p>${segments}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-highlighted-text': GbHighlightedText;
  }
}
