import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatBytes, readFiles } from '../core/model-folder/model-card';
import type { ModelManifest } from '../core/contract/types';
import { OfflineModelController } from '../pwa/offline-model-controller';
import './gb-alert';

export interface OfflineChangeDetail {
  /** Every file the model card lists has a current copy on this device. */
  complete: boolean;
}

/**
 * Whether the model in use is available offline, with a button to remove its offline copy (or to
 * save it again). Shows nothing where the page has no service worker (the dev server) or the model
 * card lists no files. The model is saved for offline use the first time it is used here.
 *
 * The inner `.offline` element carries `data-state`: available | missing | busy.
 *
 * @fires gb-offline-change - {complete}: the model's offline copy was checked, saved or removed.
 */
@customElement('gb-offline-model')
export class GbOfflineModel extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-size: 0.85rem;
      color: #444;
    }
    .offline {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4rem 0.8rem;
    }
    .offline[data-state='available'] .what {
      color: #1d6b34;
    }
    button {
      font: inherit;
      padding: 0.2rem 0.5rem;
    }
    gb-alert {
      margin-top: 0.5rem;
    }
  `;

  /** The folder of the model in use, absolute; empty while none is loaded. */
  @property() folder = '';
  /** Its model card, whose `files` list says what must be cached. */
  @property({ attribute: false }) manifest: ModelManifest | undefined;

  private readonly offline = new OfflineModelController(this, (offline) =>
    this.dispatchEvent(new CustomEvent<OfflineChangeDetail>('gb-offline-change', { detail: { complete: offline.complete }, bubbles: true, composed: true })),
  );

  override willUpdate() {
    this.offline.track(this.folder, readFiles(this.manifest));
  }

  override render() {
    const state = this.offline.state;
    switch (state.status) {
      case 'unavailable':
        return nothing;
      case 'checking':
        return this.line('busy', 'Checking the offline copy…');
      case 'saving':
        return this.line('busy', `Saving for offline use… ${state.saved} of ${state.total} files`);
      case 'removing':
        return this.line('busy', 'Removing the offline copy…');
      case 'known': {
        const { offline, error } = state;
        const alert = error ? html`<gb-alert context="Saving for offline use" .error=${error}></gb-alert>` : nothing;
        if (offline.complete) {
          return html`${this.line(
              'available',
              `Available offline (${formatBytes(offline.totalBytes)} stored on this device)`,
              html`<button class="remove" @click=${() => this.offline.remove()}>Remove offline copy</button>`,
            )}${alert}`;
        }
        const toGet = formatBytes(offline.totalBytes - offline.cachedBytes);
        return html`${this.line(
            'missing',
            `Not available offline (${toGet} to download)`,
            html`<button class="save" @click=${() => this.offline.save()}>Save for offline use</button>`,
          )}${alert}`;
      }
    }
  }

  private line(state: 'available' | 'missing' | 'busy', text: string, action: unknown = nothing) {
    return html`<div class="offline" data-state=${state} role="status"><span class="what">${text}</span>${action}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-offline-model': GbOfflineModel;
  }
}
