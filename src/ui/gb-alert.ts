import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { adviceFor } from './error-advice';
import type { GlassboxError } from '../core/contract/errors';

/**
 * Shows what failed and what to try next.
 *
 * @fires gb-retry - The person pressed "Try again" (only offered when `retryable`).
 */
@customElement('gb-alert')
export class GbAlert extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    [role='alert'] {
      border: 1px solid #d4a0a0;
      background: #fdf3f3;
      color: #6b1f1f;
      border-radius: 8px;
      padding: 0.75rem 1rem;
    }
    .what {
      font-weight: 600;
    }
    .code {
      font: 0.75rem ui-monospace, monospace;
      opacity: 0.7;
    }
    p {
      margin: 0.3rem 0 0;
    }
    button {
      margin-top: 0.5rem;
      font: inherit;
    }
  `;

  @property({ attribute: false }) error: GlassboxError | undefined;
  /** What was being done, e.g. "Loading sentiment". */
  @property() context = '';
  @property({ type: Boolean }) retryable = false;

  override render() {
    const error = this.error;
    if (!error) return nothing;
    const advice = adviceFor(error.code);
    return html`<div role="alert" data-code=${error.code}>
      <div class="what">${this.context ? `${this.context} failed` : 'Something failed'} <span class="code">${error.code}</span></div>
      <p class="detail">${error.detail}</p>
      ${advice ? html`<p class="advice">${advice}</p>` : nothing}
      ${this.retryable ? html`<button @click=${this.onRetry}>Try again</button>` : nothing}
    </div>`;
  }

  private onRetry() {
    this.dispatchEvent(new CustomEvent('gb-retry', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-alert': GbAlert;
  }
}
