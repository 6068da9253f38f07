import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { EngineError } from '../../shared/errors';
import { ownProcessTag, sweepFoldersOfGoneProcesses } from '../engine/jobs/process-identity';
import { environmentError } from '../engine/policy/export-folder';

const IN_MEMORY = 4 << 20;
const SPOOL_PREFIX = 'routeplan-route-';

/**
 * Decisions held back until the whole input has routed (`route --on-error fail` writes all or
 * nothing): in memory up to 4 MiB, then in a private temporary file, so memory stays flat for any
 * input. release() copies them to stdout; dispose() removes the file on every exit path (a
 * process.exit too: an 'exit' listener). The folder carries this process's pid and start time, and
 * a new spool sweeps the folders of gone (killed) processes, as import staging is swept.
 */
export class DecisionSpool {
  private parts: string[] = [];
  private bytes = 0;
  private dir: string | null = null;
  private fd: number | null = null;
  private readonly onExit = () => this.dispose();

  constructor(private readonly parent = tmpdir()) {
    sweepFoldersOfGoneProcesses(parent, SPOOL_PREFIX);
  }

  write = (text: string): void => {
    if (this.fd == null && this.bytes + text.length <= IN_MEMORY) {
      this.parts.push(text);
      this.bytes += text.length;
      return;
    }
    if (this.fd == null) this.open();
    try {
      writeSync(this.fd!, text);
    } catch (err) {
      throw environmentError(err, this.dir!);
    }
  };

  private open(): void {
    try {
      this.dir = mkdtempSync(join(this.parent, `${SPOOL_PREFIX}${ownProcessTag()}-`));
      process.on('exit', this.onExit);
      this.fd = openSync(join(this.dir, 'decisions.jsonl'), 'wx', 0o600);
      for (const p of this.parts) writeSync(this.fd, p);
    } catch (err) {
      throw environmentError(err, this.dir ?? this.parent);
    }
    this.parts = [];
  }

  async release(out: NodeJS.WritableStream): Promise<void> {
    for (const p of this.parts) await writeOut(out, p);
    if (this.fd == null) return;
    closeSync(this.fd);
    this.fd = null;
    for await (const chunk of createReadStream(join(this.dir!, 'decisions.jsonl'), { highWaterMark: 1 << 20 })) await writeOut(out, chunk as Buffer);
  }

  dispose(): void {
    if (this.fd != null) closeSync(this.fd);
    this.fd = null;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    process.off('exit', this.onExit);
  }
}

/** Writes and waits when the reader is slower (a pipe to a slow consumer must not fill memory). */
export function writeOut(out: NodeJS.WritableStream, data: string | Buffer): Promise<void> | void {
  if (out.write(data)) return;
  return new Promise((resolve) => out.once('drain', () => resolve()));
}

/** Text of a file or stdin ('-'), a piece at a time (1 MiB reads), UTF-8 decoded across pieces. */
export async function* inputText(file: string): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  const stream = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) yield decoder.write(chunk as Buffer);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new EngineError('NOT_FOUND', `cannot read queries ${file}: ${(err as Error).message}`, { file });
    throw err;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}
