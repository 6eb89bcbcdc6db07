import type { BatchSource } from '../src/core/contract/batch-types';
import { checkNotKnownBinary, checkTextChunk, countUndecodable, encodingFromBom, type TextEncodingName } from '../src/core/batch/csv-sniff';
import { GlassboxError, messageOf } from '../src/core/contract/errors';
import { nextTask } from './next-task';

/**
 * A batch input read as text a chunk at a time: a file is sliced and decoded as it goes (one
 * decoder for the whole file, so a character split between two slices is never mangled, the bug
 * papaparse's own file reader has), and pasted text is cut into pieces. Nothing holds the whole
 * input. Every chunk is checked for binary content.
 */

/** What a Blob offers that reading needs; tests pass instrumented stand-ins. */
export interface ByteSource {
  readonly size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

export interface TextChunk {
  text: string;
  /** Input units (bytes of a file, characters of pasted text) read through this chunk. */
  end: number;
  /** Characters in this chunk that could not be decoded. */
  undecodable: number;
}

export interface TextInput {
  name: string;
  /** Bytes of a file, characters of pasted text. */
  size: number;
  encoding: TextEncodingName;
  hasBom: boolean;
  /** Chunks of about `chunkUnits` input units each, from the start (after any byte-order mark). */
  chunks(chunkUnits: number): AsyncGenerator<TextChunk>;
}

const HEAD_BYTES = 8;

export async function openTextInput(source: BatchSource): Promise<TextInput> {
  if (source.kind === 'text') return openString(source.text);
  if (source.kind === 'file' && isByteSource(source.file)) {
    const name = source.name ?? (source.file as Partial<File>).name ?? 'The file';
    return openBytes(source.file, name);
  }
  throw new GlassboxError('BAD_INPUT', 'A batch needs a file or pasted text.');
}

function isByteSource(value: unknown): value is ByteSource {
  return typeof value === 'object' && value !== null && typeof (value as ByteSource).size === 'number' && typeof (value as ByteSource).slice === 'function';
}

function openString(raw: unknown): TextInput {
  if (typeof raw !== 'string') throw new GlassboxError('BAD_INPUT', 'Pasted text must be a string.');
  const hasBom = raw.startsWith('\ufeff');
  const text = hasBom ? raw.slice(1) : raw;
  const name = 'The pasted text';
  return {
    name,
    size: text.length,
    encoding: 'utf-8',
    hasBom,
    async *chunks(chunkUnits) {
      for (let start = 0; start < text.length; start += chunkUnits) {
        // Let the worker take messages (a cancel) between chunks: string work never waits otherwise.
        await nextTask();
        const chunk = text.slice(start, start + chunkUnits);
        checkTextChunk(chunk, name, start);
        yield { text: chunk, end: Math.min(text.length, start + chunkUnits), undecodable: 0 };
      }
    },
  };
}

async function openBytes(file: ByteSource, name: string): Promise<TextInput> {
  const head = new Uint8Array(await readBytes(file, 0, Math.min(HEAD_BYTES, file.size), name));
  checkNotKnownBinary(head, name);
  const { encoding, bomLength } = encodingFromBom(head);
  return {
    name,
    size: file.size,
    encoding,
    hasBom: bomLength > 0,
    async *chunks(chunkUnits) {
      // The byte-order mark is skipped here, so the decoder must not look for another.
      const decoder = new TextDecoder(encoding, { ignoreBOM: true });
      let decoded = 0;
      for (let start = bomLength; start < file.size; start += chunkUnits) {
        const end = Math.min(file.size, start + chunkUnits);
        const bytes = await readBytes(file, start, end, name);
        await nextTask();
        const text = decoder.decode(bytes, { stream: end < file.size });
        checkTextChunk(text, name, decoded);
        decoded += text.length;
        yield { text, end, undecodable: countUndecodable(text) };
      }
    },
  };
}

async function readBytes(file: ByteSource, start: number, end: number, name: string): Promise<ArrayBuffer> {
  try {
    return await file.slice(start, end).arrayBuffer();
  } catch (error) {
    const reason = messageOf(error);
    throw new GlassboxError('CSV_INVALID', `${name} could not be read (${reason}); it may have been moved or changed since it was chosen. Choose it again.`, {
      cause: error,
    });
  }
}
