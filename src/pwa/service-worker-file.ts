/** The service worker script, at the root of the built site: its folder is its scope, whatever the sub-path. */
export const SERVICE_WORKER_FILE = 'sw.js';
