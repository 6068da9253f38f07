import type { FileMetaData } from 'hyparquet';
import { parquetHeader as readPageHeader } from 'hyparquet/src/column.js';
import { fileError } from '../../../shared/errors';
import { MAX_RECORD_CHARS } from './csv-tokenizer';

/** Largest page accepted (uncompressed): a page is a slice of one column of one row group. */
const MAX_PAGE_BYTES = 1 << 30;
/** Bytes a value may spend in a page besides its own (length prefix, levels), and a page's fixed part. */
const VALUE_OVERHEAD = 8;
const PAGE_OVERHEAD = 16;
/** Bytes read to parse one page header (its statistics may hold min/max strings). */
const HEADER_WINDOW = 1 << 16;

type ReadAt = (offset: number, length: number) => Promise<ArrayBuffer>;

/**
 * Checks every page header of every column chunk before anything is decoded: the chunk lies inside
 * the file, each header parses, each page fits inside its chunk, its sizes are sane, and its value
 * count is no more than its chunk's (and, for a flat column, than the row group's rows). A corrupt
 * file is then refused at once with the row group and column, instead of reaching a decoder that
 * takes a run length from corrupt data and loops for a minute.
 */
export async function validatePageHeaders(path: string, metadata: FileMetaData, fileBytes: number, readAt: ReadAt): Promise<void> {
  const footerStart = fileBytes - 8 - Number(metadata.metadata_length ?? 0);
  let firstRow = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const rows = Number(group.num_rows);
    const where = `row group ${g + 1} (rows ${firstRow + 2}–${firstRow + rows + 1})`;
    const refuse = (column: string, problem: string) => fileError(path, firstRow + 2, column, `corrupt Parquet: ${where}, column "${column}": ${problem}`, { reason: 'page-header', rowGroup: g + 1 });
    for (const chunk of group.columns) {
      const m = chunk.meta_data;
      if (!m) continue;
      const column = m.path_in_schema.join('.');
      const start = Number(m.dictionary_page_offset ?? m.data_page_offset);
      const size = Number(m.total_compressed_size);
      const values = Number(m.num_values);
      const end = start + size;
      if (!(start >= 4 && size > 0 && end <= footerStart)) throw refuse(column, `its pages (bytes ${start}–${end}) do not lie inside the file's data (4–${footerStart})`);
      if (!(values >= 0) || (m.path_in_schema.length === 1 && values > rows)) throw refuse(column, `it claims ${values} values for ${rows} rows`);
      let at = start;
      let seen = 0;
      while (at < end) {
        const window = new DataView(await readAt(at, Math.min(HEADER_WINDOW, end - at)));
        const reader = { view: window, offset: 0 };
        let h: ReturnType<typeof readPageHeader>;
        try {
          h = readPageHeader(reader);
        } catch (err) {
          throw refuse(column, `the page header at byte ${at} cannot be read (${(err as Error).message})`);
        }
        const compressed = Number(h.compressed_page_size);
        const uncompressed = Number(h.uncompressed_page_size);
        if (!h.type) throw refuse(column, `the page at byte ${at} has an unknown page type`);
        if (!(compressed >= 0 && at + reader.offset + compressed <= end)) throw refuse(column, `the page at byte ${at} (${compressed} bytes) runs past its column chunk (ending at byte ${end})`);
        if (!(uncompressed >= 0 && uncompressed <= MAX_PAGE_BYTES)) throw refuse(column, `the page at byte ${at} claims ${uncompressed} uncompressed bytes`);
        const n = Number(h.data_page_header?.num_values ?? h.data_page_header_v2?.num_values ?? 0);
        const entries = h.dictionary_page_header ? Number(h.dictionary_page_header.num_values) : n;
        // Values whose bytes average over the importers' per-record limit: at least one cell is
        // over it (a UTF-8 character is at least a byte). Refused before the page is inflated.
        if (entries > 0 && (uncompressed - PAGE_OVERHEAD - VALUE_OVERHEAD * entries) / entries > MAX_RECORD_CHARS) {
          const flat = m.path_in_schema.length === 1 && !h.dictionary_page_header;
          const first = firstRow + seen + 2;
          const row = flat ? first : firstRow + 2;
          const rowsText = flat ? (entries === 1 ? '' : `, rows ${first}–${first + entries - 1}`) : `, rows ${firstRow + 2}–${firstRow + rows + 1}`;
          const what = entries === 1 ? `a cell takes ${uncompressed} bytes (the page at byte ${at})` : `the ${entries} ${h.dictionary_page_header ? 'dictionary entries' : 'cells'} of the page at byte ${at} take ${uncompressed} bytes, so one`;
          throw fileError(path, row, column, `row group ${g + 1}${rowsText}: ${what} is over the per-record limit of ${MAX_RECORD_CHARS} characters`, { reason: 'record-limit', rowGroup: g + 1, page: at });
        }
        if (h.data_page_header || h.data_page_header_v2) {
          if (!(n >= 0) || seen + n > values) throw refuse(column, `the page at byte ${at} claims ${n} values; the chunk holds ${values}, ${seen} already in earlier pages`);
          seen += n;
        } else if (h.dictionary_page_header) {
          const d = Number(h.dictionary_page_header.num_values);
          if (!(d >= 0 && d <= Math.max(values, uncompressed))) throw refuse(column, `the dictionary page at byte ${at} claims ${d} entries`);
        }
        at += reader.offset + compressed;
      }
      if (seen !== values) throw refuse(column, `its data pages hold ${seen} values, its metadata says ${values}`);
    }
    firstRow += rows;
  }
}
