// The movie cards' kept text (src/modules/catalog/movie-card.ts): a list of cards with its length
// in UTF-8 bytes and its cards' digests, which an answer's ETag hashes instead of its whole text.
import { createHash } from 'node:crypto';
import { movieCard, movieCardsJson, movieCardsSized } from '../../../src/modules/catalog/movie-card.js';

const view = (id: number, name: string, genres: string[], runningTime: number | null = 120) => ({ movie: { id, name, poster: null, runningTime, watchGrade: '12세 관람가' as const }, genres });

it('gives the JSON of the cards, its length in UTF-8 bytes, and one digest per card that changes with the card', () => {
  const views = [view(1, '기생충', ['드라마']), view(2, 'Matrix "Reloaded"', ['SF', '액션'], null), view(3, '😀 이모지', [])];
  for (const list of [[], views.slice(0, 1), views]) {
    const sized = movieCardsSized(list);
    expect(sized.json).toBe(JSON.stringify(list.map(movieCard)));
    expect(sized.json).toBe(movieCardsJson(list));
    expect(sized.bytes).toBe(Buffer.byteLength(sized.json, 'utf8'));
    expect(sized.digests.split('\n').filter(Boolean)).toEqual(list.map((v) => createHash('sha1').update(JSON.stringify(movieCard(v))).digest('base64')));
  }
  // A view replaced by one of other content (what the read cache does on a change): another digest.
  const renamed = [views[0]!, view(2, 'Matrix Revolutions', ['SF', '액션'], null), views[2]!];
  expect(movieCardsSized(renamed).digests).not.toBe(movieCardsSized(views).digests);
  // The same cards in another order: other digests in order.
  expect(movieCardsSized([...views].reverse()).digests).not.toBe(movieCardsSized(views).digests);
});
