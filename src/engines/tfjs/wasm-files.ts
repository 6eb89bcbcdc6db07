/** The three binaries of @tensorflow/tfjs-backend-wasm; the backend picks one by SIMD and thread support. */
export const TFJS_WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;
export type TfjsWasmFile = (typeof TFJS_WASM_FILES)[number];

/**
 * Where the site serves those binaries: a folder URL ending in "/" holding all three, or one URL
 * per file (what a bundler that renames assets produces). In Node, a folder path.
 */
export type TfjsWasmPaths = string | Record<TfjsWasmFile, string>;
