import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { CityConfig } from '@/domain/city';
import { carRoadClass } from '@/domain/map/osm-basemap';
import type { RoadLine } from '@/domain/roads/road-graph';

const require = createRequire(import.meta.url);

/**
 * The car roads of a city, read from the OpenStreetMap vector tiles that ship in
 * `@mapbox/mvt-fixtures` (ODbL): every line with a car `highway`, in the way's direction, with
 * its `oneway`, `maxspeed` and name. Runs once at start (~1 s for Montevideo's 20 MB).
 */
export function readRoadLines(city: CityConfig): RoadLine[] {
  const fixtures = dirname(require.resolve('@mapbox/mvt-fixtures/package.json'));
  const dir = join(fixtures, 'real-world', city.basemap.fixture);
  const lines: RoadLine[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.mvt'))) {
    const [z, x, y] = file.replace('.mvt', '').split('-').map(Number) as [number, number, number];
    const osm = new VectorTile(new PbfReader(readFileSync(join(dir, file)))).layers.osm;
    if (!osm) continue;
    for (let i = 0; i < osm.length; i++) {
      const feature = osm.feature(i);
      const tags = feature.properties;
      const roadClass = feature.type === 2 ? carRoadClass(tags.highway) : undefined;
      if (!roadClass) continue;
      const geometry = feature.toGeoJSON(x, y, z).geometry;
      const parts =
        geometry.type === 'LineString'
          ? [geometry.coordinates]
          : geometry.type === 'MultiLineString'
            ? geometry.coordinates
            : [];
      const oneway = tags.junction === 'roundabout' && tags.oneway === undefined ? 'yes' : tags.oneway;
      for (const coords of parts) {
        lines.push({
          coords: coords as [number, number][],
          roadClass,
          oneway: typeof oneway === 'string' ? oneway : undefined,
          maxspeed: tags.maxspeed === undefined ? undefined : String(tags.maxspeed),
          name: typeof tags.name === 'string' ? tags.name : undefined,
        });
      }
    }
  }
  return lines;
}
