import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { BENCHMARK_DEFAULTS, BENCHMARK_LIMITS, type BenchmarkProgress, type BenchmarkResult, type BenchmarkRow } from '../core/contract/benchmark-types';
import { canSwitchTo, combinationName, rowName, runsOn, type Verdict } from '../core/benchmark/benchmark-verdict';
import type { BackendName, EngineName } from '../core/contract/types';
import type { BenchmarkOption } from './benchmark-controller';
import { errorBox, panelStyles, visuallyHidden } from './shared-styles';

export interface BenchmarkCombinationDetail {
  engine: EngineName;
  backend: BackendName;
}
export interface BenchmarkToggleDetail extends BenchmarkCombinationDetail {
  selected: boolean;
}
export interface BenchmarkRepetitionsDetail {
  repetitions: number;
}

const STAGES: Record<BenchmarkProgress['stage'], string> = {
  load: 'loading and warming up',
  first: 'the first text',
  latency: 'one text at a time',
  batch: 'batches of texts',
  done: 'done',
};

/**
 * "Compare engines on this device": which engines and backends to measure, a Run button, progress
 * with Cancel, and the results table with the fastest one named and a button to switch the page to
 * it. It only raises events; the page runs the measurement in the worker and sets the properties.
 *
 * @fires gb-benchmark-toggle - {engine, backend, selected}: a combination was ticked or unticked.
 * @fires gb-benchmark-repetitions - {repetitions}: timed runs per text changed.
 * @fires gb-benchmark-run - Measure the ticked combinations.
 * @fires gb-benchmark-cancel - Stop the measurement.
 * @fires gb-benchmark-use - {engine, backend}: switch the page to this engine and backend.
 */
@customElement('gb-benchmark-panel')
export class GbBenchmarkPanel extends LitElement {
  static override styles = [
    visuallyHidden, errorBox, panelStyles,
    css`
      fieldset {
        border: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem 1.2rem;
      }
      legend {
        padding: 0;
        margin-bottom: 0.3rem;
        color: #444;
      }
      .note {
        color: #7a5300;
        font-size: 0.8rem;
      }
      input[type='number'] {
        width: 4.5rem;
      }
      button,
      .software {
        border: 1px solid #e6cf8f;
        background: #fdf8e8;
        border-radius: 6px;
        padding: 0.5rem 0.75rem;
        margin-top: 0.6rem;
      }
      .verdict {
        font-weight: 600;
        margin: 0.8rem 0 0.2rem;
      }
      .table {
        overflow-x: auto;
        margin-top: 0.6rem;
      }
      table {
        border-collapse: collapse;
        font-size: 0.8rem;
      }
      caption {
        text-align: left;
        color: #666;
        padding-bottom: 0.3rem;
      }
      th,
      td {
        border: 1px solid #e3e3e3;
        padding: 0.25rem 0.45rem;
        text-align: left;
        vertical-align: top;
      }
      td.number {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      tr[data-status='unavailable'] td,
      tr[data-status='failed'] td {
        color: #6b1f1f;
      }
      .device {
        color: #555;
        max-width: 16rem;
        overflow-wrap: anywhere;
      }
    `,
  ];

  /** The combinations to tick, and which are ticked. */
  @property({ attribute: false }) options: BenchmarkOption[] = [];
  /** Timed single-text runs per combination. */
  @property({ type: Number }) repetitions = 10;
  @property({ type: Boolean }) running = false;
  @property({ attribute: false }) progress: BenchmarkProgress | undefined;
  @property({ attribute: false }) result: BenchmarkResult | undefined;
  /** The fastest combination, and the one with most texts per second when that is another. */
  @property({ attribute: false }) verdicts: Verdict[] = [];
  /** The engine and backend the page's model runs on now. */
  @property({ attribute: false }) current: { engine: EngineName; backend: BackendName } | undefined;
  /** The WebGPU adapter's description, when it is a software one. */
  @property({ attribute: 'software-adapter' }) softwareAdapter = '';
  @property() error = '';
  /** Why a run cannot start now; empty when it can. */
  @property({ attribute: 'unavailable-reason' }) unavailableReason = '';

  override render() {
    const rows = this.running ? (this.progress?.rows ?? []) : (this.result?.rows ?? []);
    return html`
      <p class="hint">
        Loads a fresh copy of the model in each engine and backend you tick, measures it with a text of
        ${this.result?.tokens ?? BENCHMARK_DEFAULTS.tokens} tokens, and unloads it again; the model above stays loaded. It takes from seconds to minutes.
      </p>
      <fieldset ?disabled=${this.running}>
        <legend>Engines and backends</legend>
        ${this.options.map(
          (option) => html`<label>
            <input
              type="checkbox"
              name=${`${option.engine}-${option.backend}`}
              .checked=${option.selected}
              @change=${(e: Event) => this.toggle(option, (e.target as HTMLInputElement).checked)}
            />
            ${combinationName(option.engine, option.backend)}
            ${option.note ? html`<span class="note">(${option.note})</span>` : nothing}
          </label>`,
        )}
      </fieldset>
      <div class="row">
        <label
          >Timed runs per text
          <input
            type="number"
            name="repetitions"
            min=${BENCHMARK_LIMITS.repetitions.min}
            max=${BENCHMARK_LIMITS.repetitions.max}
            .value=${String(this.repetitions)}
            ?disabled=${this.running}
            @change=${this.changeRepetitions}
        /></label>
        ${this.running
          ? html`<button type="button" class="cancel" @click=${() => this.fire('gb-benchmark-cancel', {})}>Cancel</button>`
          : html`<button type="button" class="run" ?disabled=${Boolean(this.unavailableReason)} @click=${() => this.fire('gb-benchmark-run', {})}>
              Run
            </button>`}
        ${!this.running && this.unavailableReason ? html`<span class="hint">${this.unavailableReason}</span>` : nothing}
      </div>
      ${this.running ? this.renderProgress() : nothing}
      ${this.softwareAdapter
        ? html`<p class="software">
            WebGPU here runs on ${this.softwareAdapter}, a software adapter that computes on the CPU: its numbers show that WebGPU
            works in this browser, not how fast a real GPU would be.
          </p>`
        : nothing}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.running ? nothing : this.verdicts.map((verdict) => this.renderVerdict(verdict))} ${rows.length > 0 ? this.renderTable(rows) : nothing}
    `;
  }

  private renderProgress() {
    const p = this.progress;
    if (!p) return html`<progress aria-label="Benchmark progress"></progress>`;
    return html`<progress aria-label="Benchmark progress" value=${p.loaded} max=${p.total}></progress>
      <p class="hint progress-text">
        ${combinationName(p.engine, p.backend)} (${p.index + 1} of ${p.count}): ${STAGES[p.stage]}; ${Math.round(p.progress * 100)}% of
        the whole run.
      </p>`;
  }

  private renderVerdict(verdict: Verdict) {
    const { winner } = verdict;
    return html`<p class="verdict" data-by=${verdict.by} data-engine=${winner.engine} data-backend=${winner.backend}>${verdict.text}</p>
      ${runsOn(winner, this.current)
        ? html`<p class="hint">The page runs on it now.</p>`
        : canSwitchTo(winner)
          ? html`<button type="button" class="use-winner" data-engine=${winner.engine} data-backend=${winner.backend} @click=${() => this.use(winner)}>
              Use ${rowName(winner)} for this page
            </button>`
          : nothing}`;
  }

  private renderTable(rows: BenchmarkRow[]) {
    const batch = this.result?.batchSize ?? rows.find((r) => r.batch)?.batch?.size ?? BENCHMARK_DEFAULTS.batchSize;
    return html`<div class="table">
      <table>
        ${this.result ? html`<caption>Measured with ${this.result.model} in ${formatSeconds(this.result.ms)}</caption>` : nothing}
        <thead>
          <tr>
            <th scope="col">Engine and backend</th>
            <th scope="col">Device</th>
            <th scope="col">Load ms (with warm-up)</th>
            <th scope="col">Warm-up ms</th>
            <th scope="col">First text ms</th>
            <th scope="col">Median ms per text</th>
            <th scope="col">Texts/s (batches of ${batch})</th>
            <th scope="col"><span class="visually-hidden">Switch</span></th>
          </tr>
        </thead>
        <tbody>
          ${rows.map((row) => this.renderRow(row))}
        </tbody>
      </table>
    </div>`;
  }

  private renderRow(row: BenchmarkRow) {
    const name = html`<th scope="row">${rowName(row)}</th>`;
    if (row.status !== 'done') {
      return html`<tr data-engine=${row.engine} data-backend=${row.backend} data-status=${row.status}>
        ${name}
        <td class="reason" colspan="7">${row.status === 'unavailable' ? 'Not available here' : 'Failed'}: ${row.reason ?? 'no reason given'}</td>
      </tr>`;
    }
    return html`<tr data-engine=${row.engine} data-backend=${row.backend} data-status=${row.status}>
      ${name}
      <td class="device">${row.info?.device ?? ''}${row.fallbackReason ? html`<br /><span class="note">${row.fallbackReason}</span>` : nothing}</td>
      <td class="number load">${formatMs(row.loadMs)}</td>
      <td class="number warmup">${formatMs(row.warmupMs)}</td>
      <td class="number first">${formatMs(row.firstMs)}</td>
      <td class="number median">${formatMs(row.latencyMs?.median)}</td>
      <td class="number throughput">${row.batch ? row.batch.textsPerSecond.toFixed(1) : '-'}</td>
      <td>
        ${runsOn(row, this.current)
          ? html`<span class="hint">in use</span>`
          : canSwitchTo(row) && !this.running
            ? html`<button type="button" class="use" @click=${() => this.use(row)}>Use</button>`
            : nothing}
      </td>
    </tr>`;
  }

  private toggle(option: BenchmarkOption, selected: boolean): void {
    this.fire<BenchmarkToggleDetail>('gb-benchmark-toggle', { engine: option.engine, backend: option.backend, selected });
  }

  private changeRepetitions(event: Event): void {
    const input = event.target as HTMLInputElement;
    const repetitions = Number(input.value);
    if (Number.isInteger(repetitions) && repetitions >= BENCHMARK_LIMITS.repetitions.min && repetitions <= BENCHMARK_LIMITS.repetitions.max) {
      this.fire<BenchmarkRepetitionsDetail>('gb-benchmark-repetitions', { repetitions });
    } else {
      input.value = String(this.repetitions);
    }
  }

  private use(row: BenchmarkRow): void {
    this.fire<BenchmarkCombinationDetail>('gb-benchmark-use', { engine: row.engine, backend: row.backend });
  }

  private fire<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Whole milliseconds from 100 ms on, tenths below: as precise as the timer and the device allow. */
function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '-';
  return ms >= 100 ? Math.round(ms).toLocaleString('en') : ms.toFixed(1);
}

declare global {
  interface HTMLElementTagNameMap {
    'gb-benchmark-panel': GbBenchmarkPanel;
  }
}
