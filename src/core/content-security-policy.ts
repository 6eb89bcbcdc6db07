/**
 * The Content-Security-Policy glassbox ships: a meta tag in the built page (scripts/vite-plugin-csp.ts)
 * and the header the hosting docs give (SECURITY.md). Everything comes from the site itself:
 * - script-src 'wasm-unsafe-eval': ONNX Runtime and TF.js compile WebAssembly; no JavaScript eval;
 * - style-src 'unsafe-inline': the page's one inline rule and the charts' style attributes (bar
 *   widths, highlight strengths); styles cannot run script;
 * - img-src data:: the inline favicon;
 * - worker-src 'self': the classifier worker, ONNX Runtime's threads and the service worker;
 * - connect-src 'self': model files and the catalog, only from this site;
 * - Trusted Types: scripts start only from URLs the "glassbox" policy made (its own origin only,
 *   src/trusted-script-url.ts); Lit's "lit-html" policy builds its templates; in the classifier
 *   worker a "default" policy passes ONNX Runtime's own same-origin thread scripts.
 * A meta tag cannot carry frame-ancestors: a host that wants to forbid framing sends the header.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types glassbox lit-html default',
].join('; ');
