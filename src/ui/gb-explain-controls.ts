import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ExplainProgress } from '../core/explanation-types';

export interface ExplainSettingsDetail {
  numSamples: number;
  autoExplain: boolean;
}

/**
 * What the person controls about LIME: how many samples, whether to explain every result, the
 * Explain button, and while it runs its progress with a Cancel button.
 *
 * @fires gb-explain - Explain the current result now.
 * @fires gb-explain-settings - {numSamples, autoExplain} when either changes.
 * @fires gb-explain-cancel - Stop the running explanation.
 */
@customElement('gb-explain-controls')
export class GbExplainControls extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    form {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 1rem;
      align-items: center;
    }
    input[type='number'] {
      width: 6.5rem;
      font: inherit;
    }
    button {
      font: inherit;
    }
    .progress {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      margin-top: 0.5rem;
      font-variant-numeric: tabular-nums;
    }
    progress {
      flex: 1;
    }
  `;

  @property({ type: Number, attribute: 'num-samples' }) numSamples = 1000;
  @property({ type: Boolean, attribute: 'auto-explain' }) autoExplain = false;
  /** False while there is no classification to explain. */
  @property({ type: Boolean }) ready = false;
  @property({ type: Boolean }) running = false;
  @property({ attribute: false }) progress: ExplainProgress | undefined;

  override render() {
    const p = this.progress;
    return html`
      <form @submit=${this.explain}>
        <label>
          Samples
          <input name="samples" type="number" min="2" max="50000" step="1" .value=${String(this.numSamples)} @change=${this.changeSettings} />
        </label>
        <label><input name="auto" type="checkbox" .checked=${this.autoExplain} @change=${this.changeSettings} /> Explain as I type</label>
        <button class="explain" type="submit" ?disabled=${!this.ready || this.running}>Explain</button>
      </form>
      ${this.running
        ? html`<div class="progress" role="status">
            <progress max="1" .value=${p?.progress ?? 0} aria-label="Explanation progress"></progress>
            <span>${p ? `${p.loaded.toLocaleString('en')} of ${p.total.toLocaleString('en')} samples` : 'Starting…'}</span>
            <button class="cancel" type="button" @click=${() => this.emit('gb-explain-cancel')}>Cancel</button>
          </div>`
        : nothing}
    `;
  }

  private explain(event: Event): void {
    event.preventDefault();
    this.emit('gb-explain');
  }

  private changeSettings(): void {
    const root = this.renderRoot;
    const samples = root.querySelector<HTMLInputElement>('input[name=samples]');
    const auto = root.querySelector<HTMLInputElement>('input[name=auto]');
    if (!samples || !auto) return;
    this.dispatchEvent(
      new CustomEvent<ExplainSettingsDetail>('gb-explain-settings', {
        detail: { numSamples: samples.valueAsNumber, autoExplain: auto.checked },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private emit(type: 'gb-explain' | 'gb-explain-cancel'): void {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-explain-controls': GbExplainControls;
  }
  interface HTMLElementEventMap {
    'gb-explain': CustomEvent<void>;
    'gb-explain-settings': CustomEvent<ExplainSettingsDetail>;
    'gb-explain-cancel': CustomEvent<void>;
  }
}
