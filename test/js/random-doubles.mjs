// Seeded random doubles of every magnitude, for the tests that compare REAL rendering with SQLite 3.53.

export function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

/**
 * A finite double of one of several kinds, chosen by i; with ties, one more kind: decimals ending in 5
 * (without it the kinds cycle over six, so a seed gives the same doubles it always gave).
 */
export function randomDouble(next, i, { ties = false } = {}) {
  const view = new DataView(new ArrayBuffer(8));
  let hi = next();
  const lo = next();
  let kind = i % (ties ? 7 : 6);
  if (!ties && kind === 5) kind = 6;
  switch (kind) {
    case 0: break; // any bit pattern
    case 1: hi = (hi & 0x800fffff) | (((1023 + (next() % 80) - 40) & 0x7ff) << 20); break; // near 1
    case 2: hi &= 0x800fffff; break; // subnormal
    case 3: { // a short decimal: ties and near-ties at the rounding place
      const digits = String(next() % 100000000).slice(0, 1 + (next() % 8));
      return Number(`${digits}e${(next() % 60) - 30}`) || 1.5;
    }
    case 4: return (next() % 2 ** 26) * 2 ** 27 * 2 ** (next() % 40); // integers past 2^53
    case 5: return Number(`${next() % 100000}.${next() % 100000}5`) || 0.5; // ends in 5: a tie in decimal
    default: return Number(`${next() % 1000}.${next() % 1000}e${(next() % 640) - 320}`) || 0.5;
  }
  if (((hi >>> 20) & 0x7ff) === 0x7ff) hi &= 0xbfffffff; // no Inf/NaN
  view.setUint32(0, hi >>> 0);
  view.setUint32(4, lo >>> 0);
  return view.getFloat64(0);
}
