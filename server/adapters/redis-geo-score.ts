/**
 * Redis stores GEO members in a sorted set whose score is a 52-bit interleaved geohash
 * (26 bits of longitude over −180…180 and 26 of latitude over ±85.05112878). Decoding the score
 * in process lets a plain ZRANGE … WITHSCORES return positions, with no GEOPOS round trip.
 * Precision is the geohash cell: about 0.6 m.
 */
const latMin = -85.05112878;
const latMax = 85.05112878;
const lngMin = -180;
const lngMax = 180;
const step = 26;
const cells = 2 ** step;

/** Deinterleaves the even (longitude) or odd (latitude) bits of a 52-bit value. */
function deinterleave(hash: number, offset: 0 | 1): number {
  let value = 0;
  const hi = Math.floor(hash / 2 ** 32);
  const lo = hash >>> 0;
  for (let bit = 0; bit < step; bit++) {
    const position = bit * 2 + offset;
    const set = position < 32 ? (lo >>> position) & 1 : (hi >>> (position - 32)) & 1;
    value += set * 2 ** bit;
  }
  return value;
}

export function decodeGeoScore(score: number): { lat: number; lng: number } {
  // Redis puts latitude in the even bits of the interleave and longitude in the odd ones.
  const latCell = deinterleave(score, 0);
  const lngCell = deinterleave(score, 1);
  return {
    lat: latMin + ((latCell + 0.5) / cells) * (latMax - latMin),
    lng: lngMin + ((lngCell + 0.5) / cells) * (lngMax - lngMin),
  };
}
