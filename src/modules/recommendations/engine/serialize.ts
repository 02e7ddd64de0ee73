// A model as a JSON-safe object: typed arrays become base64 strings of their little-endian bytes.
// JSON.stringify(serializeModel(m)) can be stored in a table, a file or a Redis key and given back to
// deserializeModel(). The format carries a version so an incompatible future change can be rejected.
import { RecommenderModel, type Algorithm, type ModelParts } from './model.js';

export const MODEL_FORMAT = 'marquee-recommender';
export const MODEL_FORMAT_VERSION = 1;
const ALGORITHMS: readonly Algorithm[] = ['baseline', 'mf', 'svdpp', 'knn', 'hybrid'];

export interface SerializedModel {
  format: typeof MODEL_FORMAT;
  version: number;
  algorithm: Algorithm;
  ratings: number;
  userIds: string;
  itemIds: string;
  baseline: { globalMean: number; userBias: string; itemBias: string };
  factors?: { globalMean: number; factors: number; userBias: string; itemBias: string; userFactors: string; itemFactors: string; implicitFactors?: string };
  /** Regularisation used to fold a member in from their ratings (absent: the training defaults). */
  foldIn?: { baselineUserReg: number; factorReg: number; factorBiasReg: number };
  neighbourhood?: {
    neighbours: number;
    denominatorShrinkage: number;
    ptr: string;
    index: string;
    similarity: string;
    userPtr: string;
    userItems: string;
    userScores: string;
  };
  blendWeight?: number;
}

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('recommendation model serialisation assumes a little-endian platform');
}

type TypedArray = Float64Array | Float32Array | Int32Array;

function encode(a: TypedArray): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function decode<T extends TypedArray>(s: string, Ctor: { new (buffer: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  const bytes = Buffer.from(s, 'base64');
  if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw new RangeError('corrupt model: array length is not a whole number of elements');
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return new Ctor(copy);
}

export function serializeModel(model: RecommenderModel): SerializedModel {
  const p = model.internals;
  const out: SerializedModel = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    algorithm: p.algorithm,
    ratings: p.ratings,
    userIds: encode(p.userIds),
    itemIds: encode(p.itemIds),
    baseline: { globalMean: p.baseline.globalMean, userBias: encode(p.baseline.userBias), itemBias: encode(p.baseline.itemBias) },
  };
  if (p.factors) {
    const f = p.factors;
    out.factors = {
      globalMean: f.globalMean,
      factors: f.factors,
      userBias: encode(f.userBias),
      itemBias: encode(f.itemBias),
      userFactors: encode(f.userFactors),
      itemFactors: encode(f.itemFactors),
    };
    if (f.implicitFactors) out.factors.implicitFactors = encode(f.implicitFactors);
  }
  if (p.foldIn) out.foldIn = { ...p.foldIn };
  if (p.neighbourhood) {
    const nb = p.neighbourhood;
    out.neighbourhood = {
      neighbours: nb.neighbours,
      denominatorShrinkage: nb.denominatorShrinkage,
      ptr: encode(nb.table.ptr),
      index: encode(nb.table.index),
      similarity: encode(nb.table.similarity),
      userPtr: encode(nb.userPtr),
      userItems: encode(nb.userItems),
      userScores: encode(nb.userScores),
    };
  }
  if (p.blendWeight !== undefined) out.blendWeight = p.blendWeight;
  return out;
}

export function deserializeModel(data: SerializedModel): RecommenderModel {
  if (data?.format !== MODEL_FORMAT) throw new TypeError('not a serialised recommendation model');
  if (data.version !== MODEL_FORMAT_VERSION) throw new RangeError(`unsupported model format version ${data.version}`);
  if (!ALGORITHMS.includes(data.algorithm)) throw new RangeError(`unknown algorithm ${String(data.algorithm)}`);
  const userIds = decode(data.userIds, Float64Array);
  const itemIds = decode(data.itemIds, Float64Array);
  const parts: ModelParts = {
    algorithm: data.algorithm,
    ratings: data.ratings,
    userIds,
    itemIds,
    baseline: {
      globalMean: data.baseline.globalMean,
      userBias: decode(data.baseline.userBias, Float32Array),
      itemBias: decode(data.baseline.itemBias, Float32Array),
    },
  };
  if (data.factors) {
    const f = data.factors;
    parts.factors = {
      globalMean: f.globalMean,
      factors: f.factors,
      userBias: decode(f.userBias, Float32Array),
      itemBias: decode(f.itemBias, Float32Array),
      userFactors: decode(f.userFactors, Float32Array),
      itemFactors: decode(f.itemFactors, Float32Array),
    };
    if (f.implicitFactors) parts.factors.implicitFactors = decode(f.implicitFactors, Float32Array);
  }
  if (data.neighbourhood) {
    const nb = data.neighbourhood;
    parts.neighbourhood = {
      neighbours: nb.neighbours,
      denominatorShrinkage: nb.denominatorShrinkage,
      table: { ptr: decode(nb.ptr, Int32Array), index: decode(nb.index, Int32Array), similarity: decode(nb.similarity, Float32Array) },
      userPtr: decode(nb.userPtr, Int32Array),
      userItems: decode(nb.userItems, Int32Array),
      userScores: decode(nb.userScores, Float32Array),
    };
  }
  if (data.blendWeight !== undefined) parts.blendWeight = data.blendWeight;
  if (data.foldIn) parts.foldIn = { ...data.foldIn };
  return modelFromParts(parts);
}

/** A model from its parts (serialised or packed), after checking that the arrays fit together. */
export function modelFromParts(parts: ModelParts): RecommenderModel {
  if (!ALGORITHMS.includes(parts.algorithm)) throw new RangeError(`unknown algorithm ${String(parts.algorithm)}`);
  const nUsers = parts.userIds.length;
  const nItems = parts.itemIds.length;
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(`corrupt model: ${what}`);
  };
  check(parts.baseline.userBias.length === nUsers && parts.baseline.itemBias.length === nItems, 'baseline sizes');
  if (parts.factors) {
    const f = parts.factors;
    check(f.userFactors.length === nUsers * f.factors && f.itemFactors.length === nItems * f.factors, 'factor sizes');
    if (f.implicitFactors) check(f.implicitFactors.length === nItems * f.factors, 'implicit factor sizes');
  }
  if (parts.neighbourhood) {
    const n = parts.neighbourhood;
    check(n.table.ptr.length === nItems + 1 && n.userPtr.length === nUsers + 1, 'neighbourhood sizes');
    check(n.table.index.length === n.table.similarity.length && n.table.ptr[nItems] === n.table.index.length, 'similarity table');
    check(n.userItems.length === n.userScores.length && n.userPtr[nUsers] === n.userItems.length, 'rating lists');
  }
  const needsFactors = parts.algorithm === 'mf' || parts.algorithm === 'svdpp' || parts.algorithm === 'hybrid';
  const needsNeighbours = parts.algorithm === 'knn' || parts.algorithm === 'hybrid';
  check(!needsFactors || !!parts.factors, `${parts.algorithm} without factors`);
  check(!needsNeighbours || !!parts.neighbourhood, `${parts.algorithm} without neighbourhood`);
  return new RecommenderModel(parts);
}
