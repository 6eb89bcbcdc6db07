/** URLs of @tensorflow/tfjs-backend-wasm's binaries, served by the site itself (scripts/vite-plugin-tfjs-wasm.ts). */
declare module 'virtual:tfjs-wasm' {
  export const tfjsWasmPaths: Record<import('./wasm-files').TfjsWasmFile, string>;
}
