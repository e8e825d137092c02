// Just what scripts/build-basemap.ts uses of two packages that ship no types.
declare module 'geojson-vt' {
  interface TileFeature {
    type: 1 | 2 | 3;
    tags: Record<string, unknown>;
  }
  interface Tile {
    features: TileFeature[];
  }
  interface Index {
    getTile(z: number, x: number, y: number): Tile | null;
  }
  interface Options {
    maxZoom?: number;
    indexMaxZoom?: number;
    tolerance?: number;
    extent?: number;
    buffer?: number;
  }
  export default function geojsonvt(data: GeoJSON.FeatureCollection, options?: Options): Index;
}

declare module 'vt-pbf' {
  export function fromGeojsonVt(layers: Record<string, unknown>, options?: { version?: number }): Uint8Array;
}
