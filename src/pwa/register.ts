import { Workbox } from 'workbox-window';
import { trustedScriptUrl } from '../trusted-script-url';
import { SERVICE_WORKER_FILE } from './service-worker-file';

/**
 * The page's side of the service worker (src/service-worker/service-worker.ts). A new version is never
 * swapped in by itself: when one is installed and waiting, `updateWaiting` turns true and an
 * `update` event fires; the page offers it (gb-update-banner) and calls `applyUpdate` when the
 * person accepts and nothing is running, which activates it and reloads the page into it.
 */
export class ServiceWorkerUpdates extends EventTarget {
  /** A new version is installed and waits for this page to let it take over. */
  updateWaiting = false;
  private workbox: Workbox | undefined;

  register(scriptUrl: string): void {
    if (this.workbox) return;
    const workbox = new Workbox(trustedScriptUrl(scriptUrl));
    workbox.addEventListener('waiting', () => {
      this.updateWaiting = true;
      this.dispatchEvent(new Event('update'));
    });
    this.workbox = workbox;
    workbox.register().catch((error: unknown) => {
      // The page works without it, online; there is nothing the person could do about it.
      console.warn('glassbox: the service worker could not be registered, so the page will not work offline.', error);
    });
  }

  /** Activates the waiting version and reloads the page once it controls it. */
  applyUpdate(): void {
    const workbox = this.workbox;
    if (!workbox || !this.updateWaiting) return;
    workbox.addEventListener('controlling', () => window.location.reload());
    workbox.messageSkipWaiting();
  }
}

export const serviceWorkerUpdates = new ServiceWorkerUpdates();

/** Registers the service worker in production builds; `vite` dev serves no worker script. */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  serviceWorkerUpdates.register(new URL(SERVICE_WORKER_FILE, document.baseURI).href);
}

/**
 * Resolves once a service worker is active for this page, so the app shell is cached and the
 * model cache is served offline. Never resolves where none is registered (dev, old browsers).
 */
export async function whenServiceWorkerActive(): Promise<void> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return new Promise<void>(() => undefined);
  await navigator.serviceWorker.ready;
}
