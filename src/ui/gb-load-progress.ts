import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatBytes, formatPercent } from '../core/model-folder/model-card';
import type { LoadProgress } from '../core/contract/types';

const PHASES: Record<LoadProgress['phase'], string> = {
  download: 'Downloading',
  compile: 'Preparing the model',
  warmup: 'Warming up',
  ready: 'Ready',
};

/** Names for the phases whose duration is shown once the model is ready. */
const PHASE_NAMES = { compile: 'model preparation', warmup: 'warm-up' } as const;

/**
 * Download progress (bytes and percent) while a model loads, with a Cancel button (it raises
 * gb-cancel-load), then the time it took to be ready.
 */
@customElement('gb-load-progress')
export class GbLoadProgress extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-size: 0.9rem;
    }
    progress {
      width: 100%;
      height: 0.8rem;
    }
    .ready {
      flex-wrap: wrap;
    }
    .ready span {
      white-space: nowrap;
    }
    .file {
      font-size: 0.8rem;
      color: #555;
    }
    .line {
      display: flex;
      justify-content: space-between;
      gap: 1rem;
      color: #444;
      font-variant-numeric: tabular-nums;
    }
  `;

  /** Name of the model being loaded. */
  @property() model = '';
  @property({ type: Boolean }) loading = false;
  @property({ attribute: false }) progress: LoadProgress | undefined;
  /** Set once the model is ready. */
  @property({ type: Number, attribute: 'ms-to-ready' }) msToReady: number | undefined;
  /** The phases that timed themselves (model preparation, warm-up), shown beside the total. */
  @property({ attribute: false }) phaseMs: Partial<Record<LoadProgress['phase'], number>> = {};
  /** True when the worker already had the model. */
  @property({ type: Boolean }) reused = false;

  /** Asks for the load to stop (the page's controller cancels it in the worker). */
  private cancel(): void {
    this.dispatchEvent(new CustomEvent('gb-cancel-load', { bubbles: true, composed: true }));
  }

  override render() {
    if (this.loading) {
      const p = this.progress;
      const sized = p?.phase === 'download' && p.total > 0;
      const what = p ? `${PHASES[p.phase]} ${this.model}…` : `Starting to load ${this.model}…`;
      return html`<div role="status" aria-live="polite">
        <div class="line">
          <span>${what}</span><span class="bytes">${sized ? `${formatBytes(p.loaded)} of ${formatBytes(p.total)} · ${formatPercent(p.progress, 0)}` : ''}</span>
          <button class="cancel" type="button" @click=${this.cancel}>Cancel</button>
        </div>
        ${sized
          ? html`<progress max=${p.total} value=${p.loaded} aria-label="Download progress"></progress>${this.renderFile(p)}`
          : html`<progress aria-label="Loading"></progress>`}
      </div>`;
    }
    if (this.msToReady === undefined) return nothing;
    const how = this.reused ? ' (already loaded)' : '';
    const phases = (['compile', 'warmup'] as const)
      .filter((phase) => this.phaseMs[phase] !== undefined)
      .map((phase) => `${PHASE_NAMES[phase]} ${((this.phaseMs[phase] ?? 0) / 1000).toFixed(2)} s`);
    return html`<div class="line ready" role="status">
      <span>${this.model} ready in ${(this.msToReady / 1000).toFixed(2)} s${how}</span>
      ${phases.length && !this.reused ? html`<span class="phases">${phases.join(' · ')}</span>` : nothing}
    </div>`;
  }

  private renderFile(p: LoadProgress) {
    if (!p.file || !p.fileTotal) return nothing;
    return html`<div class="line file"><span>${p.file}</span><span>${formatBytes(p.fileLoaded ?? 0)} of ${formatBytes(p.fileTotal)}</span></div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-load-progress': GbLoadProgress;
  }
}
