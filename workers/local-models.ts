import { unzipSync } from 'fflate';
import { GlassboxError } from '../src/core/contract/errors';
import { localModelSource, LOCAL_MODELS_PATH, planLocalFolder, type PickedFile } from '../src/core/model-folder/local-folder';
import { isPathInsideFolder } from '../src/core/model-folder/model-card';
import { MODEL_LIMITS } from '../src/core/model-folder/model-limits';
import type { LocalFile, LocalFolderOpened } from '../src/core/contract/classifier-api';

/** All the files of one unpacked .zip together may hold at most this much: a model and its JSON files. */
const ZIP_CONTENT_BYTES = MODEL_LIMITS.modelBytes + 4 * MODEL_LIMITS.jsonBytes;

/**
 * Model folders opened from the device, kept in the worker's memory and answered, by URL, to the
 * worker's own fetches: both engines and the folder check read them as they read a folder on the
 * site, and nothing is sent anywhere. One folder at a time: opening another forgets the last.
 */
export class LocalModels {
  private files = new Map<string, Blob>();
  private opened = 0;

  constructor(private readonly origin: string) {}

  /** Takes the files of a folder (or one .zip of them) and says where to load the model from. */
  async open(picked: readonly LocalFile[]): Promise<LocalFolderOpened> {
    const files = picked.length === 1 && /\.zip$/i.test(picked[0].path) ? await unzipFolder(picked[0]) : picked;
    const plan = planLocalFolder(files.map((file): PickedFile => ({ path: file.path, size: file.file.size })));
    const byPath = new Map(files.map((file) => [file.path, file.file]));
    const source = localModelSource(this.origin, plan, ++this.opened);
    this.files = new Map([...plan.files].map(([path, from]) => [`${source.url}${path}`, byPath.get(from)!]));
    return { source, ...(plan.note ? { note: plan.note } : {}) };
  }

  /** `network`, except for the opened folder's URLs, which are answered from memory (404 for a file it lacks). */
  fetchWith(network: typeof fetch): typeof fetch {
    const prefix = `${this.origin}/${LOCAL_MODELS_PATH}`;
    return async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const absolute = new URL(url, `${this.origin}/`).href;
      if (!absolute.startsWith(prefix)) return network(input, init);
      if (init?.signal?.aborted) throw new DOMException('The load was cancelled.', 'AbortError');
      const file = this.files.get(absolute.split(/[?#]/)[0]);
      if (!file) return new Response('not in the opened folder', { status: 404, statusText: 'Not Found' });
      const type = absolute.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      return new Response(file, { status: 200, headers: { 'content-type': type, 'content-length': String(file.size) } });
    };
  }
}

/**
 * The files of a .zip, checked before anything is unpacked: every path must stay inside the
 * folder and the sizes the archive declares must add up to no more than a model folder holds (a
 * small archive that would unpack to gigabytes is refused unopened); the unpacked sizes must then
 * be the declared ones.
 */
async function unzipFolder(zip: LocalFile): Promise<LocalFile[]> {
  if (zip.file.size > MODEL_LIMITS.modelBytes) throw new GlassboxError('BAD_INPUT', `${zip.path} is larger than glassbox loads (${MODEL_LIMITS.modelBytes / 1024 ** 3} GiB).`);
  const bytes = new Uint8Array(await zip.file.arrayBuffer());
  const declared = new Map<string, number>();
  let problem: string | undefined;
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (entry) => {
        if (entry.name.endsWith('/')) return false;
        if (!isPathInsideFolder(entry.name)) problem ??= `it holds "${entry.name}", a path outside its folder`;
        total += entry.originalSize;
        if (total > ZIP_CONTENT_BYTES) problem ??= `it would unpack to more than ${(ZIP_CONTENT_BYTES / 1024 ** 3).toFixed(1)} GiB`;
        declared.set(entry.name, entry.originalSize);
        return problem === undefined;
      },
    });
  } catch (error) {
    throw new GlassboxError('BAD_INPUT', `${zip.path} is not a readable .zip (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (problem) throw new GlassboxError('BAD_INPUT', `${zip.path} was refused: ${problem}.`);
  return Object.entries(entries).map(([path, content]) => {
    if (content.length !== declared.get(path)) throw new GlassboxError('BAD_INPUT', `${zip.path} was refused: ${path} unpacks to another size than the archive declares.`);
    return { path, file: new Blob([content as Uint8Array<ArrayBuffer>]) };
  });
}
