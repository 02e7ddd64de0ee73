// A streaming RFC 4180 CSV reader for the catalog imports: text arrives in chunks of any size and
// complete records come out, so a file is never held in memory. Handles quoted fields with commas
// and line breaks, doubled quotes ("" → "), CRLF / LF / CR line ends (also split across chunks) and
// a UTF-8 byte order mark. A stray character after a closing quote or an unterminated quoted field
// is an error naming the line; blank lines are skipped.
import { createReadStream } from 'node:fs';

export interface CsvRecord {
  /** 1-based line number where the record starts. */
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    public readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const enum State {
  /** At the start of a field (nothing read yet). */
  FieldStart,
  /** Inside an unquoted field. */
  Unquoted,
  /** Inside a quoted field. */
  Quoted,
  /** Read a quote inside a quoted field: either the closing quote or the first of a doubled one. */
  QuoteInQuoted,
}

export class CsvParser {
  private state = State.FieldStart;
  private cell = '';
  private cells: string[] = [];
  private line = 1;
  private recordLine = 1;
  /** The previous chunk ended on a CR that ended a record: a leading LF belongs to it. */
  private pendingCr = false;
  /** A quoted field's text so far ends on a CR at the end of a chunk (counted once the next char is known). */
  private quotedCr = false;
  private started = false;

  /** Feeds a chunk of text; returns the records completed by it. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (!this.started && chunk.length) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.pendingCr && i < chunk.length) {
      this.pendingCr = false;
      if (chunk[i] === '\n') i++;
    }
    const n = chunk.length;
    while (i < n) {
      const ch = chunk[i]!;
      switch (this.state) {
        case State.Quoted: {
          if (this.quotedCr) {
            this.quotedCr = false;
            if (ch !== '\n') this.line++;
          }
          // Copy the run up to the next quote in one slice.
          const q = chunk.indexOf('"', i);
          const end = q < 0 ? n : q;
          const run = chunk.slice(i, end);
          this.countLines(run, q < 0);
          this.cell += run;
          i = end;
          if (q >= 0) {
            this.state = State.QuoteInQuoted;
            i++;
          }
          continue;
        }
        case State.QuoteInQuoted:
          if (ch === '"') {
            this.cell += '"';
            this.state = State.Quoted;
            i++;
            continue;
          }
          if (ch !== ',' && ch !== '\r' && ch !== '\n') throw new CsvSyntaxError(this.line, `unexpected "${ch}" after a closing quote`);
          this.state = State.Unquoted; // the field is complete; the separator is handled below
          break;
        case State.FieldStart:
          if (ch === '"') {
            this.state = State.Quoted;
            i++;
            continue;
          }
          this.state = State.Unquoted;
          break;
        case State.Unquoted:
          break;
      }
      // Unquoted (or just after a closing quote): separators and line ends.
      if (ch === ',') {
        this.cells.push(this.cell);
        this.cell = '';
        this.state = State.FieldStart;
        i++;
      } else if (ch === '\r' || ch === '\n') {
        this.endRecord(out);
        i++;
        if (ch === '\r') {
          if (i < n) {
            if (chunk[i] === '\n') i++;
          } else {
            this.pendingCr = true;
          }
        }
        this.line++;
        this.recordLine = this.line;
      } else {
        // A quote inside an unquoted field is kept as it is (lenient, like most readers).
        let j = i + 1;
        while (j < n) {
          const c = chunk[j];
          if (c === ',' || c === '\r' || c === '\n') break;
          j++;
        }
        this.cell += chunk.slice(i, j);
        i = j;
      }
    }
    return out;
  }

  /** Ends the input; returns the last record when the text did not end with a line break. */
  end(): CsvRecord[] {
    if (this.state === State.Quoted) throw new CsvSyntaxError(this.recordLine, 'a quoted field is not closed before the end of the file');
    const out: CsvRecord[] = [];
    if (this.state !== State.FieldStart || this.cells.length) this.endRecord(out);
    return out;
  }

  /** Line breaks inside a quoted field: LF, CRLF and a lone CR each count once. */
  private countLines(run: string, atChunkEnd: boolean): void {
    const last = run.length - 1;
    for (let k = 0; k <= last; k++) {
      const c = run.charCodeAt(k);
      if (c === 10) this.line++;
      else if (c === 13) {
        if (k === last && atChunkEnd) this.quotedCr = true;
        else if (run.charCodeAt(k + 1) !== 10) this.line++;
      }
    }
  }

  private endRecord(out: CsvRecord[]): void {
    this.cells.push(this.cell);
    const cells = this.cells;
    this.cells = [];
    this.cell = '';
    this.state = State.FieldStart;
    if (cells.length === 1 && cells[0] === '') return; // blank line
    out.push({ line: this.recordLine, cells });
  }
}


/** Parses a whole string (small inputs, tests). */
export function parseCsvText(text: string): CsvRecord[] {
  const p = new CsvParser();
  return [...p.push(text), ...p.end()];
}

/** Streams a UTF-8 CSV file record by record. */
export async function* readCsvFile(file: string, opts: { highWaterMark?: number } = {}): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser();
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: opts.highWaterMark ?? 64 * 1024 });
  try {
    for await (const chunk of stream) {
      for (const record of parser.push(chunk as string)) yield record;
    }
    for (const record of parser.end()) yield record;
  } finally {
    stream.destroy();
  }
}
