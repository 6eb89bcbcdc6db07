import precacheManifest from 'virtual:precache-manifest';
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { cacheCatalog, handleModelRequest, isModelRequest } from './model-requests';

declare const self: ServiceWorkerGlobalScope;

/**
 * The service worker that makes the site work offline after one visit. Built on its own by
 * scripts/vite-plugin-service-worker.ts, which injects the precache manifest: every file of the
 * app shell (index.html, scripts, styles, the classifier worker, the ONNX Runtime and TF.js
 * WebAssembly binaries and loaders, the web app manifest and icons) with a content hash as its
 * revision. URLs are relative to this script, so the site works from any sub-path.
 *
 * Cached responses keep the headers they were served with, COOP and COEP included, so an offline
 * page is as cross-origin isolated (multi-threaded WebAssembly) as an online one.
 *
 * A new version installs beside the running one and waits: the page offers it and sends
 * SKIP_WAITING (workbox-window's messageSkipWaiting) only when the person accepts and nothing is
 * running. The first version takes control of the page that installed it at once (clientsClaim),
 * so the model that page loads next is cached.
 */

// Query strings never select a different app shell (?model=, ?backend=, ?engine=, ?samples=).
precacheAndRoute(precacheManifest, { ignoreURLParametersMatching: [/.*/] });
cleanupOutdatedCaches();
registerRoute(isModelRequest, handleModelRequest);

self.addEventListener('install', (event) => {
  // The catalog is also cached whenever the page reads it; failing to get it here (a site with no
  // models/index.json yet) must not keep the app shell from installing.
  event.waitUntil(cacheCatalog().catch((error: unknown) => console.warn('glassbox: the model catalog was not cached at install.', error)));
});

self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

clientsClaim();
