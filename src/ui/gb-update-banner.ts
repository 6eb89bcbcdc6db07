import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { serviceWorkerUpdates } from '../pwa/register';

/**
 * Offers a new version of the site once its service worker is installed and waiting. Reloading
 * into it is the person's choice, and is held back while `busy` (an explanation or a batch run in
 * progress) so that work is never cut short.
 */
@customElement('gb-update-banner')
export class GbUpdateBanner extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    .banner {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4rem 0.8rem;
      padding: 0.6rem 0.9rem;
      margin-bottom: 1rem;
      border-radius: 10px;
      background: #e8effc;
      border: 1px solid #b9cbf2;
      font-size: 0.9rem;
    }
    button {
      font: inherit;
      padding: 0.25rem 0.7rem;
    }
    .wait {
      color: #555;
    }
  `;

  /** Work is running that a reload would lose: the reload waits until it is done. */
  @property({ type: Boolean }) busy = false;
  @state() private waiting = serviceWorkerUpdates.updateWaiting;

  private readonly onUpdate = () => (this.waiting = serviceWorkerUpdates.updateWaiting);

  override connectedCallback() {
    super.connectedCallback();
    serviceWorkerUpdates.addEventListener('update', this.onUpdate);
    this.onUpdate();
  }

  override disconnectedCallback() {
    serviceWorkerUpdates.removeEventListener('update', this.onUpdate);
    super.disconnectedCallback();
  }

  override render() {
    if (!this.waiting) return nothing;
    return html`<div class="banner" role="status">
      <span>A new version of glassbox is available.</span>
      <button class="reload" ?disabled=${this.busy} @click=${() => serviceWorkerUpdates.applyUpdate()}>Reload</button>
      ${this.busy ? html`<span class="wait">You can reload once the running work has finished.</span>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-update-banner': GbUpdateBanner;
  }
}
