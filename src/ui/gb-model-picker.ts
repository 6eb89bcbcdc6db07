import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { CatalogEntry } from '../catalog';
import type { LocalFile } from '../core/contract/classifier-api';
import type { BackendChoice, EngineChoice } from '../core/contract/types';

export interface ModelSelectDetail {
  id: string;
}
export interface ModelFolderDetail {
  url: string;
}
export interface ModelFilesDetail {
  files: LocalFile[];
}
export interface BackendSelectDetail {
  backend: BackendChoice;
}
export interface EngineSelectDetail {
  engine: EngineChoice;
}

const BACKEND_LABELS: Record<BackendChoice, string> = { auto: 'Auto (WebGPU if it works)', webgpu: 'WebGPU', wasm: 'WebAssembly' };
const ENGINE_LABELS: Record<EngineChoice, string> = { auto: 'Auto', onnx: 'ONNX Runtime', tfjs: 'TensorFlow.js' };

/**
 * Chooses the model (a shipped one, or any transformers.js text-classification folder on this
 * site), the engine and the backend.
 *
 * @fires gb-model-select - {id}: a shipped model was picked.
 * @fires gb-model-folder - {url}: a model folder URL was entered.
 * @fires gb-model-files - {files}: a model folder's files (or a .zip) were picked or dropped from the device.
 * @fires gb-backend-select - {backend}: the backend override changed.
 * @fires gb-engine-select - {engine}: the engine override changed.
 */
@customElement('gb-model-picker')
export class GbModelPicker extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    /* Two columns where they fit, one on a phone: wide enough for the longest model title and choice. */
    form {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 22rem), 1fr));
      gap: 0.6rem 1rem;
      align-items: end;
    }
    label {
      display: grid;
      min-width: 0;
      gap: 0.25rem;
      font-size: 0.85rem;
      color: #444;
    }
    select,
    input,
    button {
      font: inherit;
      padding: 0.35rem 0.5rem;
      /* One height for every control, so the row lines up whatever each browser's default. */
      box-sizing: border-box;
      height: 2.3rem;
    }
    select {
      width: 100%;
    }
    .device {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem 1rem;
      align-items: center;
      margin-top: 0.6rem;
      padding: 0.5rem;
      border: 1px dashed #b9bec7;
      border-radius: 6px;
      font-size: 0.85rem;
      color: #444;
    }
    .device label {
      display: flex;
      align-items: center;
      gap: 0.4rem;
    }
    .device input {
      height: auto;
      padding: 0;
    }
    .folder {
      display: flex;
      gap: 0.4rem;
    }
    .folder input {
      flex: 1;
      min-width: 0;
    }
  `;

  @property({ attribute: false }) models: CatalogEntry[] = [];
  /** Ids of the models with a complete offline copy on this device; their options say so. */
  @property({ attribute: false }) offlineIds: ReadonlySet<string> = new Set();
  /** Id of the shipped model in use; empty when a custom folder is in use. */
  @property() selected = '';
  @property() backend: BackendChoice = 'auto';
  @property() engine: EngineChoice = 'auto';
  @property({ attribute: 'folder-url' }) folderUrl = '';
  @state() private draftUrl = '';

  override willUpdate(changed: Map<string, unknown>) {
    if (changed.has('folderUrl')) this.draftUrl = this.folderUrl;
  }

  override render() {
    return html`<form @submit=${this.onFolderSubmit}>
      <label
        >Model
        <select name="model" @change=${this.onModelChange}>
          ${this.selected ? '' : html`<option value="" selected>Custom folder</option>`}
          ${this.models.map(
            (entry) =>
              html`<option value=${entry.source.id} ?selected=${entry.source.id === this.selected} ?data-offline=${this.offlineIds.has(entry.source.id)}>
                ${entry.title}${this.offlineIds.has(entry.source.id) ? ' · offline' : ''}
              </option>`,
          )}
        </select>
      </label>
      <label
        >Or a model folder on this site
        <span class="folder">
          <input
            name="folder"
            type="text"
            placeholder="models/my-model/"
            spellcheck="false"
            .value=${this.draftUrl}
            @input=${(e: Event) => (this.draftUrl = (e.target as HTMLInputElement).value)}
          />
          <button type="submit">Load</button>
        </span>
      </label>
      <label
        >Engine
        <select name="engine" @change=${this.onEngineChange}>
          ${(Object.keys(ENGINE_LABELS) as EngineChoice[]).map(
            (engine) => html`<option value=${engine} ?selected=${engine === this.engine}>${ENGINE_LABELS[engine]}</option>`,
          )}
        </select>
      </label>
      <label
        >Backend
        <select name="backend" @change=${this.onBackendChange}>
          ${(Object.keys(BACKEND_LABELS) as BackendChoice[]).map(
            (backend) => html`<option value=${backend} ?selected=${backend === this.backend}>${BACKEND_LABELS[backend]}</option>`,
          )}
        </select>
      </label>
    </form>
    <div class="device" @dragover=${this.onDragOver} @drop=${this.onDrop}>
      <span>Or open a model from this device (it stays here):</span>
      <label>its folder <input type="file" name="local-folder" webkitdirectory @change=${this.onPicked} /></label>
      <label>its files, or one .zip <input type="file" name="local-files" multiple @change=${this.onPicked} /></label>
    </div>`;
  }

  private onPicked(event: Event) {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])].map((file): LocalFile => ({ path: file.webkitRelativePath || file.name, file }));
    input.value = '';
    if (files.length > 0) this.emit<ModelFilesDetail>('gb-model-files', { files });
  }

  private onDragOver(event: DragEvent) {
    event.preventDefault();
  }

  /** Dropped files (or a .zip) by their names; a dropped folder is read through the folder picker instead. */
  private onDrop(event: DragEvent) {
    event.preventDefault();
    const files = [...(event.dataTransfer?.files ?? [])].map((file): LocalFile => ({ path: file.name, file }));
    if (files.length > 0) this.emit<ModelFilesDetail>('gb-model-files', { files });
  }

  private onModelChange(event: Event) {
    const id = (event.target as HTMLSelectElement).value;
    if (id) this.emit<ModelSelectDetail>('gb-model-select', { id });
  }

  private onFolderSubmit(event: Event) {
    event.preventDefault();
    this.emit<ModelFolderDetail>('gb-model-folder', { url: this.draftUrl });
  }

  private onBackendChange(event: Event) {
    this.emit<BackendSelectDetail>('gb-backend-select', { backend: (event.target as HTMLSelectElement).value as BackendChoice });
  }

  private onEngineChange(event: Event) {
    this.emit<EngineSelectDetail>('gb-engine-select', { engine: (event.target as HTMLSelectElement).value as EngineChoice });
  }

  private emit<T>(type: string, detail: T) {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-model-picker': GbModelPicker;
  }
}
