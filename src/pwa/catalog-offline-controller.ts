import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CatalogEntry } from '../catalog';
import { readFiles } from '../core/model-folder/model-card';
import { readOfflineStatus } from './model-cache';

/**
 * Which of the listed models have a complete, current offline copy, so the picker can mark them:
 * offline, choosing any other model fails to download. Read from Cache Storage when the catalog
 * arrives and whenever the model in use is saved or removed.
 */
export class CatalogOfflineController implements ReactiveController {
  /** Ids of the models that load without a network. */
  offlineIds: ReadonlySet<string> = new Set();
  private turn = 0;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.turn++;
  }

  async refresh(entries: readonly CatalogEntry[]): Promise<void> {
    const turn = ++this.turn;
    // No Cache Storage (an insecure origin, or a browser without it): nothing can be offline.
    if (typeof caches === 'undefined') return;
    const complete = await Promise.all(
      entries.map(async (entry) => {
        const files = readFiles(entry.manifest);
        if (files.length === 0) return false;
        return (await readOfflineStatus(entry.source.url, files).catch(() => undefined))?.complete ?? false;
      }),
    );
    if (turn !== this.turn) return;
    this.offlineIds = new Set(entries.filter((_, i) => complete[i]).map((entry) => entry.source.id));
    this.host.requestUpdate();
  }
}
