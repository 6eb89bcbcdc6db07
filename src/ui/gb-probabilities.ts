import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ClassifyResult } from '../core/contract/classifier-api';
import { formatPercent } from '../core/model-folder/model-card';
import type { TruncationInfo } from '../core/contract/types';

/**
 * One bar per label with its probability, highest first, and the prediction in words.
 *
 * @csspart bar - The filled part of each bar.
 */
@customElement('gb-probabilities')
export class GbProbabilities extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .predicted {
      font-size: 1.15rem;
      margin: 0 0 0.75rem;
    }
    .predicted strong {
      color: var(--gb-accent, #2357c6);
    }
    ol {
      list-style: none;
      padding: 0;
      margin: 0;
      display: grid;
      gap: 0.35rem;
    }
    li {
      display: grid;
      grid-template-columns: minmax(6rem, 9rem) 1fr 4rem;
      gap: 0.6rem;
      align-items: center;
    }
    .track {
      background: #eceff4;
      border-radius: 4px;
      height: 0.9rem;
      overflow: hidden;
    }
    .fill {
      height: 100%;
      background: var(--gb-accent, #2357c6);
      opacity: 0.45;
    }
    li:first-child .fill {
      opacity: 1;
    }
    .score {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    .meta,
    .message,
    .hint,
    .truncated {
      font-size: 0.85rem;
      color: #555;
    }
    .stale {
      opacity: 0.55;
    }
    /* A warning, not a fact about the input: it must be seen before the label is trusted. */
    .unfamiliar {
      font-size: 0.85rem;
      border: 1px solid #e6cf8f;
      background: #fdf8e8;
      color: #5c4400;
      border-radius: 6px;
      padding: 0.4rem 0.6rem;
    }
  `;

  @property({ attribute: false }) result: ClassifyResult | undefined;
  /** A note shown instead of a result (for example, for empty text). */
  @property() message = '';
  /** Set while a newer text is being classified; the previous result stays visible, dimmed. */
  @property({ type: Boolean }) running = false;

  /** What to show before the first result, e.g. how to get one. */
  @property() hint = '';

  override render() {
    if (this.message) return html`<p class="message" role="status">${this.message}</p>`;
    const result = this.result;
    if (!result) {
      if (this.running) return html`<p class="message" role="status">Classifying…</p>`;
      return this.hint ? html`<p class="hint">${this.hint}</p>` : nothing;
    }
    const top = result.scores[0];
    return html`<section class=${this.running ? 'stale' : ''} aria-busy=${this.running ? 'true' : 'false'}>
      <p class="predicted" data-label=${result.label} data-text=${result.text}>
        Predicted: <strong>${result.label}</strong> (${formatPercent(top.score)} probability)
      </p>
      <ol aria-label="Probability per label">
        ${result.scores.map(
          (s) => html`<li data-label=${s.label}>
            <span class="label">${s.label}</span>
            <span class="track" role="meter" aria-valuemin="0" aria-valuemax="1" aria-valuenow=${s.score} aria-label=${s.label}
              ><div class="fill" part="bar" style="width: ${(s.score * 100).toFixed(2)}%"></div
            ></span>
            <span class="score">${formatPercent(s.score)}</span>
          </li>`,
        )}
      </ol>
      ${result.unfamiliar ? html`<p class="unfamiliar" role="note">${result.unfamiliar}</p>` : nothing}
      ${result.truncation?.truncated ? html`<p class="truncated" role="note">${describeTruncation(result.truncation)}</p>` : nothing}
      <p class="meta">${result.ms} ms on ${result.engine} / ${result.backend}</p>
    </section>`;
  }
}

export function describeTruncation(t: TruncationInfo): string {
  return `This text is ${t.tokens} tokens long; the model reads at most ${t.maxTokens}, so it classified the first ${t.keptHead} and the last ${t.keptTail} tokens (head + tail truncation).`;
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-probabilities': GbProbabilities;
  }
}
