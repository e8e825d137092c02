/**
 * Builds the demo city's basemap offline, before `next build` (prebuild) and `next dev`:
 * decodes the OpenStreetMap tiles of Montevideo shipped in `@mapbox/mvt-fixtures` (ODbL, every
 * OSM tag on one layer, ~20 MB), keeps what the map draws (domain/map/osm-basemap.ts) and writes
 * small vector tiles for zooms 10–14 plus the label font under public/vendor/basemap/ (served
 * by the web app, git-ignored). Nothing is fetched: the map works on a machine with no network.
 * Skipped when its inputs have not changed.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VectorTile } from '@mapbox/vector-tile';
import geojsonvt from 'geojson-vt';
import { PbfReader } from 'pbf';
import { fromGeojsonVt } from 'vt-pbf';
import { demoCity } from '@/domain/city';
import { type BasemapLayer, basemapFeature, type OsmGeometryType } from '@/domain/map/osm-basemap';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const fixtures = dirname(require.resolve('@mapbox/mvt-fixtures/package.json'));
const fonts = join(dirname(require.resolve('tileserver-gl-styles/package.json')), 'fonts');
const out = join(root, 'public', 'vendor', 'basemap');
const tilesIn = join(fixtures, 'real-world', demoCity.basemap.fixture);
const stampFile = join(out, 'stamp');
const zooms = { min: 10, max: 14 } as const;
const geometryTypes: Record<number, OsmGeometryType> = { 1: 'point', 2: 'line', 3: 'polygon' };

function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of [fileURLToPath(import.meta.url), join(root, 'domain/map/osm-basemap.ts')]) {
    hash.update(readFileSync(file));
  }
  hash.update(readFileSync(join(fixtures, 'package.json')));
  return hash.update(demoCity.basemap.fixture).digest('hex');
}

/** Every drawable feature of the source tiles, as GeoJSON per basemap layer. */
function readFeatures(): Map<BasemapLayer, GeoJSON.Feature[]> {
  const layers = new Map<BasemapLayer, GeoJSON.Feature[]>();
  for (const file of readdirSync(tilesIn)) {
    const [z, x, y] = file.replace('.mvt', '').split('-').map(Number) as [number, number, number];
    const osm = new VectorTile(new PbfReader(readFileSync(join(tilesIn, file)))).layers.osm;
    if (!osm) throw new Error(`${file}: no "osm" layer`);
    for (let i = 0; i < osm.length; i++) {
      const feature = osm.feature(i);
      const type = geometryTypes[feature.type];
      const kept = type ? basemapFeature(type, feature.properties) : null;
      if (!kept) continue;
      const geojson = feature.toGeoJSON(x, y, z);
      geojson.properties = { ...kept.properties, minZoom: kept.minZoom };
      if (!layers.has(kept.layer)) layers.set(kept.layer, []);
      layers.get(kept.layer)!.push(geojson);
    }
  }
  return layers;
}

function tileRange(z: number, [west, south, east, north]: readonly number[]) {
  const n = 2 ** z;
  const x = (lng: number) => Math.floor(((lng + 180) / 360) * n);
  const y = (lat: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  };
  return { x0: x(west!), x1: x(east!), y0: y(north!), y1: y(south!) };
}

function build(): number {
  const started = Date.now();
  const indexes = [...readFeatures()].map(([layer, features]) => ({
    layer,
    index: geojsonvt({ type: 'FeatureCollection', features }, { maxZoom: zooms.max, indexMaxZoom: 10 }),
  }));
  rmSync(out, { recursive: true, force: true });
  let written = 0;
  for (let z = zooms.min; z <= zooms.max; z++) {
    const { x0, x1, y0, y1 } = tileRange(z, demoCity.basemap.bounds);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const layers: Record<string, unknown> = {};
        for (const { layer, index } of indexes) {
          const tile = index.getTile(z, x, y);
          const features = tile?.features.filter((f) => Number(f.tags.minZoom) <= z) ?? [];
          if (features.length > 0) layers[layer] = { ...tile, features };
        }
        // An empty tile where the city has nothing to draw (sea): a 404 would be logged as an error.
        mkdirSync(join(out, 'tiles', String(z), String(x)), { recursive: true });
        writeFileSync(
          join(out, 'tiles', String(z), String(x), `${y}.pbf`),
          fromGeojsonVt(layers, { version: 2 }),
        );
        written++;
      }
    }
  }
  cpSync(join(fonts, 'Noto Sans Regular'), join(out, 'fonts', 'Noto Sans Regular'), { recursive: true });
  console.log(`basemap: ${written} tiles for ${demoCity.name} in ${Date.now() - started} ms`);
  return written;
}

const stamp = inputsHash();
if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log('basemap: up to date');
} else {
  build();
  writeFileSync(stampFile, stamp);
}
