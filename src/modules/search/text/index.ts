// The pure text functions of the movie search (no I/O): see each file.
export * from './hangul.js';
export * from './normalise.js';
export * from './ngrams.js';
export * from './similarity.js';
export * from './match.js';
export * from './typos.js';
