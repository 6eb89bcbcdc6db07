import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { EXPLAIN_METHODS, type ExplainMethod, type ExplainProgress } from '../core/contract/explanation-types';
import { TimeLeft, timeLeftSuffix } from './time-left';
import { METHOD_NAMES } from './explain-method-text';

export interface ExplainSettingsDetail {
  method: ExplainMethod;
  /** Samples for the sampling methods (lime, kernelshap); absent for the others. */
  numSamples?: number;
  autoExplain: boolean;
}

/**
 * What the person controls about explanations: the method (Explain always shows leaving one word
 * out first, then refines with it), how many samples a sampling method draws, whether to explain
 * every result, the Explain button, and while it runs its progress with a Cancel button.
 *
 * @fires gb-explain - Explain the current result now.
 * @fires gb-explain-settings - {method, numSamples, autoExplain} when any changes.
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
    button,
    select {
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

  @property() method: ExplainMethod = 'kernelshap';
  /** Samples of the chosen method; unset for the methods that sample nothing. */
  @property({ type: Number, attribute: 'num-samples' }) numSamples: number | undefined = undefined;
  @property({ type: Boolean, attribute: 'auto-explain' }) autoExplain = false;
  /** False while there is no classification to explain. */
  @property({ type: Boolean }) ready = false;
  @property({ type: Boolean }) running = false;
  @property({ attribute: false }) progress: ExplainProgress | undefined;
  /** The method running now: the leave-one-word-out preview, or the chosen one. */
  @property({ attribute: 'running-method' }) runningMethod: ExplainMethod | undefined;

  private readonly timeLeft = new TimeLeft();
  private timeLeftText = '';

  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('progress')) return;
    const p = this.progress;
    this.timeLeftText = p ? timeLeftSuffix(this.timeLeft, p.loaded, p.total) : '';
  }

  override render() {
    const p = this.progress;
    const step = this.runningMethod ? METHOD_NAMES[this.runningMethod] : 'Starting';
    return html`
      <form @submit=${this.explain}>
        <label>
          Method
          <select name="method" @change=${this.changeSettings}>
            ${EXPLAIN_METHODS.map((m) => html`<option value=${m} ?selected=${m === this.method}>${METHOD_NAMES[m]}</option>`)}
          </select>
        </label>
        ${this.numSamples !== undefined
          ? html`<label>
              Samples
              <input name="samples" type="number" min="2" max="50000" step="1" .value=${String(this.numSamples)} @change=${this.changeSettings} />
            </label>`
          : nothing}
        <label><input name="auto" type="checkbox" .checked=${this.autoExplain} @change=${this.changeSettings} /> Explain as I type</label>
        <button class="explain" type="submit" ?disabled=${!this.ready || this.running}>Explain</button>
      </form>
      ${this.running
        ? html`<div class="progress" role="status">
            <progress max="1" .value=${p?.progress ?? 0} aria-label="Explanation progress"></progress>
            <span>${step}: ${p ? `${p.loaded.toLocaleString('en')} of ${p.total.toLocaleString('en')} model runs${this.timeLeftText}` : 'starting…'}</span>
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
    const method = root.querySelector<HTMLSelectElement>('select[name=method]');
    const samples = root.querySelector<HTMLInputElement>('input[name=samples]');
    const auto = root.querySelector<HTMLInputElement>('input[name=auto]');
    if (!method || !auto) return;
    const chosen = method.value as ExplainMethod;
    // A new method brings its own samples: the field's value belongs to the previous one.
    const numSamples = chosen === this.method && samples ? { numSamples: samples.valueAsNumber } : {};
    this.dispatchEvent(
      new CustomEvent<ExplainSettingsDetail>('gb-explain-settings', {
        detail: { method: chosen, ...numSamples, autoExplain: auto.checked },
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
