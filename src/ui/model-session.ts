import type { ReactiveControllerHost } from 'lit';
import type { ClassifierApi, LoadResult } from '../core/contract/classifier-api';
import { toGlassboxError, type GlassboxError } from '../core/contract/errors';
import type { BackendChoice, EngineChoice, LoadProgress, ModelSource } from '../core/contract/types';
import { LatestWins } from '../core/jobs/sequencer';

/** A model as the page and the element show it; `Ready` is what a view keeps beside a loaded model. */
export type SessionState<Ready extends object = object> =
  | { status: 'idle' }
  | { status: 'loading'; source: ModelSource; progress?: LoadProgress }
  | ({ status: 'ready'; loaded: LoadResult } & Ready)
  /** `source` is absent when no model could even be named (the element's model attributes were unusable). */
  | { status: 'failed'; error: GlassboxError; source?: ModelSource };

/** How a view follows its loads; each hook is called only while its load is the newest. */
export interface SessionHooks<Ready extends object> {
  /** What the view keeps beside a model that has just loaded (the page's warm-up state). */
  readyExtras?(): Ready;
  progress?(progress: LoadProgress): void;
  /** A `load` ended with the model; `turn` is the load's, for work that follows it. */
  ready?(loaded: LoadResult, turn: number): void;
  /** A `load` failed. */
  failed?(error: GlassboxError): void;
}

/**
 * The model lifecycle shared by the page's controller and the element's: load a model folder with
 * the engine and backend chosen, follow its progress, and show only the newest load's outcome, so
 * a load the person replaced (another model, another backend) can never overwrite the one they
 * asked for last. Work that leads to a load without being one (reading a local folder, the worker
 * being restarted) shows as loading under its own turn and settles the same way.
 */
export class ModelSession<Ready extends object = object> {
  state: SessionState<Ready> = { status: 'idle' };
  private readonly turns = new LatestWins();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: Pick<ClassifierApi, 'load'>,
    private readonly hooks: SessionHooks<Ready>,
  ) {}

  /**
   * Loads `source`. The state follows this load while it is the newest; the promise tells how this
   * load ended whatever came after it (a load the worker replaced rejects with SUPERSEDED and
   * leaves the state to the newer one).
   */
  load(source: ModelSource, choices: { engine: EngineChoice; backend: BackendChoice }): Promise<LoadResult> {
    const turn = this.begin(source);
    const loading = this.client.load(source, choices, (progress) => {
      if (!this.turns.isCurrent(turn) || this.state.status !== 'loading') return;
      this.show({ status: 'loading', source, progress });
      this.hooks.progress?.(progress);
    });
    loading.then(
      (loaded) => this.settle(turn, { loaded }) && this.hooks.ready?.(loaded, turn),
      (error: unknown) => {
        const failure = toGlassboxError(error);
        if (failure.code !== 'SUPERSEDED' && this.settle(turn, { error: failure, source })) this.hooks.failed?.(failure);
      },
    );
    return loading;
  }

  /** Shows `source` as loading under a new turn, which is returned for `settle`. */
  begin(source: ModelSource): number {
    const turn = this.turns.begin();
    this.show({ status: 'loading', source });
    return turn;
  }

  /** Ends `turn` with its model or its failure, unless a newer turn began; says whether it was the newest. */
  settle(turn: number, outcome: { loaded: LoadResult } | { error: GlassboxError; source?: ModelSource }): boolean {
    if (!this.turns.isCurrent(turn)) return false;
    this.show('loaded' in outcome ? ({ status: 'ready', loaded: outcome.loaded, ...this.hooks.readyExtras?.() } as SessionState<Ready>) : { status: 'failed', ...outcome });
    return true;
  }

  /** Adds to the loaded model what the view learnt since, if `turn` still holds it. */
  updateReady(turn: number, extras: Partial<Ready>): void {
    if (this.turns.isCurrent(turn) && this.state.status === 'ready') this.show({ ...this.state, ...extras });
  }

  /** The model is gone (the worker died, or the model cannot be named): whatever was loading is moot. */
  fail(error: GlassboxError, source?: ModelSource): void {
    this.settle(this.turns.begin(), { error, source });
  }

  /** No model: the view left the page or was told to load none. */
  reset(): void {
    this.turns.cancelAll();
    this.state = { status: 'idle' };
  }

  isCurrent(turn: number): boolean {
    return this.turns.isCurrent(turn);
  }

  private show(state: SessionState<Ready>): void {
    this.state = state;
    this.host.requestUpdate();
  }
}
