import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { LoadResult } from '../core/contract/classifier-api';

/**
 * The engine, backend and adapter in use, and why WebGPU is not used when it is not.
 * Mirrors the `backend` and `engine` in use as attributes, so the page (and its tests) can see the choice.
 */
@customElement('gb-engine-badge')
export class GbEngineBadge extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-size: 0.85rem;
    }
    dl {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0.15rem 0.75rem;
      margin: 0;
    }
    dt {
      color: #666;
    }
    dd {
      margin: 0;
    }
    .why {
      color: #7a5300;
    }
  `;

  @property({ attribute: false }) loaded: LoadResult | undefined;

  override updated() {
    for (const name of ['backend', 'engine'] as const) {
      const value = this.loaded?.[name];
      if (value) this.setAttribute(name, value);
      else this.removeAttribute(name);
    }
  }

  override render() {
    const loaded = this.loaded;
    if (!loaded) return nothing;
    const engineName = loaded.engine === 'onnx' ? 'ONNX Runtime Web (transformers.js)' : 'TensorFlow.js';
    const backendName = loaded.backend === 'webgpu' ? 'WebGPU' : loaded.backend === 'wasm' ? 'WebAssembly' : 'CPU';
    const why = loaded.fallbackReason ?? (loaded.backend !== 'webgpu' && !loaded.webgpu.available ? `No WebGPU: ${loaded.webgpu.reason}` : '');
    return html`<dl>
      <dt>Engine</dt>
      <dd class="engine">${engineName}</dd>
      <dt>Backend</dt>
      <dd class="backend">${backendName}</dd>
      <dt>Device</dt>
      <dd class="device">${loaded.device}</dd>
      ${why ? html`<dt>Note</dt><dd class="why">${why}</dd>` : nothing}
    </dl>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-engine-badge': GbEngineBadge;
  }
}
