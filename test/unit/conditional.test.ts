// ETags of kept answers (src/http/conditional.ts) are the ones Express itself computes for the same
// body, so a client's If-None-Match works the same whichever way an answer is sent.
import { createRequire } from 'node:module';
import { etagOf, keptSerialisation, serialise, serialisedBytes, serialisedText } from '../../src/http/conditional.js';

// Express's own ETag function (the etag package has no types).
const etag = createRequire(import.meta.url)('etag') as (body: string | Buffer, opts: { weak: boolean }) => string;

it.each(['', '{}', '{"name":"기생충","n":1}', 'x'.repeat(70_000)])('etagOf(%#) equals Express’s weak ETag, for text and bytes', (body) => {
  expect(etagOf(body)).toBe(etag(body, { weak: true }));
  expect(etagOf(Buffer.from(body, 'utf8'))).toBe(etag(Buffer.from(body, 'utf8'), { weak: true }));
});

it('serialise and serialisedText give the UTF-8 bytes and their ETag; a changed body changes it', () => {
  const a = serialise({ name: '기생충' });
  expect(a.bytes.toString('utf8')).toBe('{"name":"기생충"}');
  const b = serialisedText('{"name":"기생충"}');
  expect([b.length, b.etag, b.bytes]).toEqual([a.length, a.etag, a.bytes]);
  expect(a.length).toBe(Buffer.byteLength('{"name":"기생충"}'));
  expect(serialise({ name: '기생충 ' }).etag).not.toBe(a.etag);
});

it('a text answer goes out as its text the first time and as its bytes, encoded once, from then on', () => {
  const a = serialisedText('{"name":"기생충"}');
  expect(a.body()).toBe('{"name":"기생충"}');
  const second = a.body();
  expect(Buffer.isBuffer(second)).toBe(true);
  expect(second.toString('utf8')).toBe('{"name":"기생충"}');
  expect(a.body()).toBe(second);
  expect(a.bytes).toBe(second);
  // made from bytes, it is sent as those bytes every time
  const bytes = Buffer.from('{"n":1}');
  const b = serialisedBytes(bytes);
  expect([b.body(), b.body(), b.length]).toEqual([bytes, bytes, 7]);
  expect(b.body()).toBe(bytes);
});

it('keptSerialisation serialises an object once while it is the same object, and a new object afresh', () => {
  let calls = 0;
  const json = keptSerialisation<{ n: number }>((v) => {
    calls++;
    return JSON.stringify(v);
  });
  const a = { n: 1 };
  expect(json(a)).toBe(json(a));
  expect(calls).toBe(1);
  const b = { n: 2 };
  expect(json(b).bytes.toString()).toBe('{"n":2}');
  expect(calls).toBe(2);
});

describe('joinedAnswer: an answer sent as its parts', () => {
  it('has the parts’ length in bytes and an ETag that follows the content, not the Buffer objects', async () => {
    const { joinedAnswer, joinedBytes } = await import('../../src/http/conditional.js');
    const a = joinedAnswer('{"이름":"기생충",', [Buffer.from('"n":1,'), Buffer.from('"m":[]}')]);
    expect(a.length).toBe(Buffer.byteLength('{"이름":"기생충","n":1,"m":[]}'));
    expect(joinedBytes(a).toString('utf8')).toBe('{"이름":"기생충","n":1,"m":[]}');
    expect(a.etag).toMatch(/^W\/"[0-9a-f]+-[\w+/]{27}"$/);
    // equal parts in new Buffers: the same ETag
    expect(joinedAnswer('{"이름":"기생충",', [Buffer.from('"n":1,'), Buffer.from('"m":[]}')]).etag).toBe(a.etag);
    // one byte of the head or of a kept part changed: another ETag
    expect(joinedAnswer('{"이름":"기생추",', [Buffer.from('"n":1,'), Buffer.from('"m":[]}')]).etag).not.toBe(a.etag);
    expect(joinedAnswer('{"이름":"기생충",', [Buffer.from('"n":2,'), Buffer.from('"m":[]}')]).etag).not.toBe(a.etag);
    expect(joinedAnswer('{"이름":"기생충",', [Buffer.from('"n":1,'), Buffer.from('"m":[1]}')]).etag).not.toBe(a.etag);
    // and a part's digest is kept with the part: a changed Buffer would be a new one (kept parts are not written to)
    const part = Buffer.from('"n":1,');
    expect(joinedAnswer('{', [part]).etag).toBe(joinedAnswer('{', [Buffer.from('"n":1,')]).etag);
  });
});
