import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Example } from '../core/model-folder/model-card';

export interface TextDetail {
  text: string;
}

/** Examples shown as buttons; a few are enough to try a model. */
const MAX_EXAMPLES = 6;

/**
 * The text to classify, with a few example texts for the current model.
 *
 * @fires gb-text-change - {text}: the text changed by typing (the page classifies once typing pauses).
 * @fires gb-classify - {text}: classify now (button, Ctrl+Enter, or an example).
 */
@customElement('gb-text-input')
export class GbTextInput extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    textarea {
      box-sizing: border-box;
      width: 100%;
      min-height: 9rem;
      font: inherit;
      padding: 0.6rem;
      border-radius: 8px;
      border: 1px solid #bbb;
      resize: vertical;
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0.4rem;
      align-items: center;
      margin-top: 0.5rem;
    }
    .examples button {
      font: inherit;
      font-size: 0.8rem;
      max-width: 16rem;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      border: 1px solid #ccc;
      border-radius: 999px;
      background: #f6f6f6;
      padding: 0.2rem 0.6rem;
      cursor: pointer;
    }
    .classify {
      font: inherit;
      padding: 0.4rem 1.1rem;
    }
    .note {
      font-size: 0.8rem;
      color: #555;
      margin: 0.4rem 0 0;
    }
  `;

  @property() text = '';
  @property({ attribute: false }) examples: Example[] = [];
  /** The model's token window, for the note on long texts. */
  @property({ type: Number, attribute: 'max-tokens' }) maxTokens: number | undefined;

  override render() {
    const window = this.maxTokens ? `${this.maxTokens}-token window` : 'token window';
    return html`
      <label for="text">Text to classify</label>
      <textarea
        id="text"
        .value=${this.text}
        placeholder="Type or paste some text; it is classified as you type."
        @input=${this.onInput}
        @keydown=${this.onKeyDown}
      ></textarea>
      <div class="row">
        <button class="classify" @click=${() => this.emit('gb-classify', this.text)}>Classify</button>
        ${this.examples.length
          ? html`<span class="examples row" aria-label="Examples"
              >Examples:
              ${this.examples.slice(0, MAX_EXAMPLES).map(
                (example) => html`<button title=${example.text} @click=${() => this.useExample(example.text)}>${example.text}</button>`,
              )}</span
            >`
          : nothing}
      </div>
      <p class="note">
        Texts longer than the model's ${window} are classified on their beginning and end (head + tail): the first quarter of the
        window and the last three quarters.
      </p>
    `;
  }

  private onInput(event: Event) {
    this.text = (event.target as HTMLTextAreaElement).value;
    this.emit('gb-text-change', this.text);
  }

  private onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.emit('gb-classify', this.text);
    }
  }

  private useExample(text: string) {
    this.text = text;
    this.emit('gb-classify', text);
  }

  private emit(type: 'gb-text-change' | 'gb-classify', text: string) {
    this.dispatchEvent(new CustomEvent<TextDetail>(type, { detail: { text }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-text-input': GbTextInput;
  }
}
