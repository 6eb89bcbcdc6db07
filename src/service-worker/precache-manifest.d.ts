/** The app shell's files and their content revisions, injected by scripts/vite-plugin-service-worker.ts. */
declare module 'virtual:precache-manifest' {
  const entries: { url: string; revision: string }[];
  export default entries;
}
