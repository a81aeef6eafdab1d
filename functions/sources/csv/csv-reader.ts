/**
 * RFC 4180 CSV reading with line numbers: quoted fields may hold commas, doubled quotes and line
 * breaks; CRLF or LF; a UTF-8 BOM is dropped. The separator is `,` unless the header line has more
 * `;` (Excel in locales with a decimal comma) or tabs outside quotes. Each record carries the physical
 * line it starts on (the header is line 1), so every error can name a line.
 */

export interface CsvRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
  /** Structural problems (an unterminated quote) by line. */
  errors: { line: number; message: string }[];
  /** The field separator used. */
  delimiter: Delimiter;
}

export type Delimiter = ',' | ';' | '\t';

export function readCsv(text: string): CsvTable {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = detectDelimiter(src);
  const records: CsvRecord[] = [];
  const errors: CsvTable['errors'] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let cellStarted = false;

  const endRecord = () => {
    cells.push(cell);
    // Blank lines are not records.
    if (!(cells.length === 1 && cells[0] === '' && !cellStarted)) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    cellStarted = false;
  };

  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') { cell += '"'; i++; } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') { quoted = true; cellStarted = true; quoteLine = line; continue; }
    if (ch === delimiter) { cells.push(cell); cell = ''; cellStarted = true; continue; }
    if (ch === '\r' && src[i + 1] === '\n') continue;
    if (ch === '\n' || ch === '\r') {
      endRecord();
      line++;
      recordLine = line;
      continue;
    }
    cell += ch;
    cellStarted = true;
  }
  if (quoted) errors.push({ line: quoteLine, message: 'unterminated quoted field' });
  if (cell !== '' || cells.length > 0 || cellStarted) endRecord();

  const [head, ...rest] = records;
  return { header: head ? head.cells.map((h) => h.trim()) : [], records: rest, errors, delimiter };
}

/** The separator the header line uses most, counted outside quotes; `,` on a tie. */
function detectDelimiter(src: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return counts[';'] > counts[','] ? ';' : ',';
}

/** Header name reduced for matching: lower case, runs of non-alphanumerics → `_` ("New follows" → new_follows). */
export function columnKey(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}
