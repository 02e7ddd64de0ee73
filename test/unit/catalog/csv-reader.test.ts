// The streaming CSV reader of the catalog imports: the same records whatever the chunking.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CsvParser, CsvSyntaxError, parseCsvText, readCsvFile } from '../../../src/modules/catalog/csv-reader.js';

const TRICKY =
  '\uFEFFmovieId,title,genres\r\n' +
  '1,Toy Story (1995),Adventure|Animation\r\n' +
  '11,"American President, The (1995)",Comedy|Drama\r\n' +
  '7789,"11\'09""01 - September 11 (2002)",Drama\r\n' +
  '\r\n' +
  '42,"Two\r\nLines, ""quoted""",\r\n' +
  '43,"",(no genres listed)\n' +
  '44,한국 영화 (2020),드라마\r' +
  '45,last,no newline';

const EXPECTED = [
  { line: 1, cells: ['movieId', 'title', 'genres'] },
  { line: 2, cells: ['1', 'Toy Story (1995)', 'Adventure|Animation'] },
  { line: 3, cells: ['11', 'American President, The (1995)', 'Comedy|Drama'] },
  { line: 4, cells: ['7789', '11\'09"01 - September 11 (2002)', 'Drama'] },
  { line: 6, cells: ['42', 'Two\r\nLines, "quoted"', ''] },
  { line: 8, cells: ['43', '', '(no genres listed)'] },
  { line: 9, cells: ['44', '한국 영화 (2020)', '드라마'] },
  { line: 10, cells: ['45', 'last', 'no newline'] },
];

function chunked(text: string, cuts: number[]) {
  const p = new CsvParser();
  const out = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    out.push(...p.push(text.slice(from, cut)));
    from = cut;
  }
  out.push(...p.end());
  return out;
}

describe('CsvParser', () => {
  it('parses quotes, doubled quotes, commas and line breaks inside quotes, CRLF/LF/CR, a BOM and a last line without newline', () => {
    expect(parseCsvText(TRICKY)).toEqual(EXPECTED);
  });

  it('gives the same records for every split of the text into two chunks, and one character at a time', () => {
    for (let cut = 0; cut <= TRICKY.length; cut++) expect(chunked(TRICKY, [cut])).toEqual(EXPECTED);
    expect(chunked(TRICKY, [...TRICKY].map((_, k) => k))).toEqual(EXPECTED);
  });

  it('counts a line break split across chunks inside a quoted field once', () => {
    const text = 'a,"x\r\ny\rz"\nb,c\n';
    const expected = [
      { line: 1, cells: ['a', 'x\r\ny\rz'] },
      { line: 4, cells: ['b', 'c'] },
    ];
    for (let cut = 0; cut <= text.length; cut++) expect(chunked(text, [cut])).toEqual(expected);
  });

  it('keeps a trailing empty field and skips blank lines', () => {
    expect(parseCsvText('a,b,\n\n\nc\n')).toEqual([
      { line: 1, cells: ['a', 'b', ''] },
      { line: 4, cells: ['c'] },
    ]);
  });

  it('rejects text after a closing quote and an unterminated quote, naming the line', () => {
    expect(() => parseCsvText('h\n"ab"c,d\n')).toThrow(new CsvSyntaxError(2, 'unexpected "c" after a closing quote'));
    expect(() => parseCsvText('h\nx,"open\nmore')).toThrow(CsvSyntaxError);
    expect(() => parseCsvText('h\nx,"open\nmore')).toThrow(/line 2: a quoted field is not closed/);
  });

  it('streams a file in small chunks (multi-byte characters split across reads)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mq-csv-'));
    try {
      const file = path.join(dir, 'movies.csv');
      writeFileSync(file, TRICKY, 'utf8');
      const records = [];
      for await (const r of readCsvFile(file, { highWaterMark: 7 })) records.push(r);
      expect(records).toEqual(EXPECTED);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
