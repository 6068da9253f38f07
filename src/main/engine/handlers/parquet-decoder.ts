import { fileError, type EngineError } from '../../../shared/errors';
import type { JobContext } from '../jobs/context';
import type { ParquetBlock, ParquetDecoder } from '../data/parquet-records';
import type { EngineServices } from '../services';

/**
 * Parquet row groups decoded in one worker thread kept for the import: in parallel with the
 * inserts, start-up paid once, and each group under a time limit, since a corrupt data page can
 * keep hyparquet's RLE decoder looping (docs/data.md). The caller closes it.
 */
export function workerParquetDecoder(s: EngineServices, ctx: JobContext): { decode: ParquetDecoder; close: () => void } {
  const session = s.workerSession();
  const decode: ParquetDecoder = async (path, start, end) => {
    const timeoutMs = 60_000 + 0.5 * (end - start);
    try {
      return await session.run<ParquetBlock>('data.parquetRows', { path, start, end }, { signal: ctx.signal, timeoutMs });
    } catch (err) {
      if ((err as EngineError).code === 'TIMEOUT') throw fileError(path, start + 2, null, `the row group of rows ${start + 2}–${end + 1} was not decoded within ${Math.round(timeoutMs / 1000)} s: a corrupt data page?`);
      throw err;
    }
  };
  return { decode, close: () => session.close() };
}
