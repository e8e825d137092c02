/**
 * A latitude/longitude grid for the in-process nearest-driver index: rows of `cellDeg` degrees of
 * latitude, each cut into as many columns as keep a cell about `cellDeg` wide *in metres* at the
 * row's widest parallel. Columns thin out towards the poles (one cell covers a polar cap), so a
 * search near a pole reads a handful of cells, not every longitude; longitudes wrap, so a search
 * across the antimeridian reads both sides. Pure arithmetic: no H3 call, no string keys.
 */

const earthRadiusM = 6_371_008.8;
const toRad = (deg: number) => (deg * Math.PI) / 180;
const toDeg = (rad: number) => (rad * 180) / Math.PI;

/** Rows and columns stay small integers (V8's fast map keys) down to this cell size. */
const minCellDeg = 0.001;

export class LatLngGrid {
  readonly rows: number;
  private readonly cols: Int32Array;

  constructor(readonly cellDeg: number) {
    if (!(cellDeg >= minCellDeg && cellDeg <= 10))
      throw new RangeError(`cellDeg must be within [${minCellDeg}, 10], got ${cellDeg}`);
    this.rows = Math.ceil(180 / cellDeg);
    this.cols = new Int32Array(this.rows);
    for (let row = 0; row < this.rows; row++) {
      const south = -90 + row * cellDeg;
      const north = Math.min(90, south + cellDeg);
      // The row's widest parallel is the one nearest the equator.
      const widest = south <= 0 && north >= 0 ? 0 : Math.min(Math.abs(south), Math.abs(north));
      this.cols[row] = Math.max(1, Math.ceil((360 * Math.cos(toRad(widest))) / cellDeg));
    }
  }

  rowOf(lat: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((lat + 90) / this.cellDeg)));
  }

  colsIn(row: number): number {
    return this.cols[row]!;
  }

  /** Column of a longitude in a row, wrapping (180° and −180° are the same meridian). */
  colOf(row: number, lng: number): number {
    const n = this.cols[row]!;
    const col = Math.floor(((lng + 180) / 360) * n) % n;
    return col < 0 ? col + n : col;
  }

  /**
   * Calls `visit` for every row that may hold a point within `radiusM` of the centre, with the
   * columns to read there: `count` columns from `fromCol`, wrapping past the last one (a superset:
   * the bounding rows and, per row, the bounding columns of the spherical cap).
   */
  forEachRowNear(
    lat: number,
    lng: number,
    radiusM: number,
    visit: (row: number, fromCol: number, count: number, cols: number) => void,
  ): void {
    const angle = radiusM / earthRadiusM;
    const angleDeg = toDeg(angle);
    const firstRow = this.rowOf(lat - angleDeg);
    const lastRow = this.rowOf(lat + angleDeg);
    // Widest longitude span of the cap; it holds a pole (all longitudes) when it reaches past one.
    const spanDeg =
      Math.abs(lat) + angleDeg >= 90 || angle >= Math.PI / 2
        ? 180
        : toDeg(Math.asin(Math.min(1, Math.sin(angle) / Math.cos(toRad(lat)))));
    for (let row = firstRow; row <= lastRow; row++) {
      const n = this.cols[row]!;
      if (spanDeg >= 180 || ((2 * spanDeg) / 360) * n + 2 >= n) {
        visit(row, 0, n, n);
        continue;
      }
      const from = this.colOf(row, lng - spanDeg);
      const to = this.colOf(row, lng + spanDeg);
      // Across the antimeridian the range wraps: from the west end to the last column, then from 0.
      visit(row, from, ((to - from + n) % n) + 1, n);
    }
  }
}
