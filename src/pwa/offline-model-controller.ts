import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { toGlassboxError, type GlassboxError } from '../core/contract/errors';
import type { ModelFile } from '../core/model-folder/model-card';
import type { OfflineStatus } from '../core/model-folder/offline-models';
import { readOfflineStatus, removeOffline, saveOffline } from './model-cache';
import { whenServiceWorkerActive } from './register';

export type OfflineModelState =
  /** No service worker (dev server, unsupported browser) or no model with a file list: nothing to show. */
  | { status: 'unavailable' }
  | { status: 'checking' }
  | { status: 'saving'; saved: number; total: number }
  | { status: 'removing' }
  | { status: 'known'; offline: OfflineStatus; error?: GlassboxError };

/**
 * Whether the model in use can load offline, and the actions that change it. A model is saved for
 * offline use the first time it is used in this page (the service worker also keeps the files it
 * serves); after the person removes its offline copy, it is saved again only when they ask or on
 * its next load.
 */
export class OfflineModelController implements ReactiveController {
  state: OfflineModelState = { status: 'unavailable' };
  private folder = '';
  private files: readonly ModelFile[] = [];
  private turn = 0;

  /** `onKnown` hears each settled state: whether the copy is complete changes what the picker marks. */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onKnown: (offline: OfflineStatus) => void = () => undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.requestUpdate();
  }

  /** Work still running for a page that dropped the element is ignored; it starts afresh if it comes back. */
  hostDisconnected(): void {
    this.turn++;
    this.folder = '';
    this.files = [];
  }

  /** The model now in use: its folder and the files its card lists. Saves it when it is new here. */
  track(folder: string, files: readonly ModelFile[]): void {
    if (folder === this.folder && sameFiles(files, this.files)) return;
    this.folder = folder;
    this.files = files;
    const turn = ++this.turn;
    if (!folder || files.length === 0) {
      this.set(turn, { status: 'unavailable' });
      return;
    }
    void whenServiceWorkerActive().then(() => this.run(turn, 'save'));
  }

  save(): void {
    void this.run(++this.turn, 'save');
  }

  remove(): void {
    void this.run(++this.turn, 'remove');
  }

  private async run(turn: number, action: 'save' | 'remove'): Promise<void> {
    if (turn !== this.turn) return;
    const { folder, files } = this;
    this.set(turn, action === 'save' ? { status: 'checking' } : { status: 'removing' });
    try {
      const offline =
        action === 'remove'
          ? await removeOffline(folder, files)
          : await saveOffline(folder, files, (saved, total) => this.set(turn, { status: 'saving', saved, total }));
      this.set(turn, { status: 'known', offline });
    } catch (error) {
      const offline = await readOfflineStatus(folder, files).catch(() => undefined);
      this.set(turn, offline ? { status: 'known', offline, error: toGlassboxError(error) } : { status: 'unavailable' });
    }
  }

  private set(turn: number, state: OfflineModelState): void {
    if (turn !== this.turn) return;
    this.state = state;
    this.host.requestUpdate();
    if (state.status === 'known') this.onKnown(state.offline);
  }
}

function sameFiles(a: readonly ModelFile[], b: readonly ModelFile[]): boolean {
  return a.length === b.length && a.every((file, i) => file.path === b[i].path && file.sha256 === b[i].sha256);
}
