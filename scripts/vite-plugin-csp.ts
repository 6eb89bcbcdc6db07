import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../src/core/content-security-policy';

/**
 * Puts the Content-Security-Policy into the built page as a meta tag, first in <head>, so the page
 * is strict on any static host, even one that sends no headers. Build only: the development
 * server's hot reload injects scripts of its own.
 */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'glassbox-content-security-policy',
    apply: 'build',
    transformIndexHtml: {
      order: 'pre',
      handler: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
    },
  };
}
