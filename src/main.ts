/** Page entry: defines the components (index.html places <gb-app>) and, in a build, registers the offline service worker. */
import { registerServiceWorker } from './pwa/register';
import './ui/gb-app';

registerServiceWorker();
