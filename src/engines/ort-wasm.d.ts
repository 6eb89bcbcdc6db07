/** URLs of the ONNX Runtime WebAssembly files the site serves itself (scripts/vite-plugin-ort-wasm.ts). */
declare module 'virtual:ort-wasm' {
  export const ortFactoryUrl: string;
  export const ortBinaryUrl: string;
  /** The onnxruntime-web version those files belong to. */
  export const ortWebVersion: string;
}
