import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type CityConfig, demoCity } from '@/domain/city';
import { straightLineEstimator, type TravelEstimator } from '@/domain/eta';
import { type CityRoads, cityRoads, roadEstimator } from '@/domain/roads/road-estimator';
import { buildRoadGraph, type RoadGraph } from '@/domain/roads/road-graph';
import { readRoadLines } from './osm-road-lines';

const require = createRequire(import.meta.url);
const loaded = new Map<string, CityRoads>();

/**
 * The city's roads, once per process. Building them from the OSM tiles takes seconds of CPU, so
 * the built graph is kept in `.cache/roads/` (a few MB of typed arrays, keyed by the data and the
 * code that builds it) and read back in milliseconds by every later start.
 */
export function loadCityRoads(city: CityConfig, cacheDir = defaultCacheDir()): CityRoads {
  const hit = loaded.get(city.id);
  if (hit) return hit;
  const file = join(cacheDir, `${city.basemap.fixture}-${sourceHash(city)}.json`);
  let graph: RoadGraph | undefined;
  if (existsSync(file)) {
    try {
      graph = decode(readFileSync(file, 'utf8'));
    } catch {
      graph = undefined; // a torn or old file: rebuild it
    }
  }
  if (!graph) {
    graph = buildRoadGraph(readRoadLines(city));
    try {
      mkdirSync(cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, encode(graph));
      renameSync(tmp, file);
    } catch {
      // A read-only file system (a container): every start builds the graph, a second of CPU.
    }
  }
  const roads = cityRoads(graph);
  loaded.set(city.id, roads);
  return roads;
}

/** How a process times trips and ranks candidates (the `TRAVEL_ESTIMATOR` setting). */
export function travelEstimatorFor(
  choice: 'roads' | 'straight-line',
  city: CityConfig = demoCity,
): TravelEstimator {
  return choice === 'roads' ? roadEstimator(loadCityRoads(city)) : straightLineEstimator();
}

function defaultCacheDir(): string {
  return join(process.cwd(), '.cache', 'roads');
}

/** Bump when buildRoadGraph changes what it makes: old cached graphs are then ignored. */
const builderVersion = 1;

function sourceHash(city: CityConfig): string {
  const fixtures = dirname(require.resolve('@mapbox/mvt-fixtures/package.json'));
  return createHash('sha256')
    .update(readFileSync(join(fixtures, 'package.json')))
    .update(String(builderVersion))
    .update(city.basemap.fixture)
    .digest('hex')
    .slice(0, 16);
}

const arrays = ['lat', 'lng', 'first', 'to', 'lengthM', 'speedMps', 'nameOf'] as const;

function encode(graph: RoadGraph): string {
  const out: Record<string, unknown> = { names: graph.names };
  for (const key of arrays)
    out[key] = Buffer.from(graph[key].buffer, graph[key].byteOffset, graph[key].byteLength).toString(
      'base64',
    );
  return JSON.stringify(out);
}

function decode(text: string): RoadGraph {
  const raw = JSON.parse(text) as Record<string, string> & { names: string[] };
  const bytes = (key: (typeof arrays)[number]) => {
    const b = Buffer.from(raw[key]!, 'base64');
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  };
  return {
    lat: new Float64Array(bytes('lat')),
    lng: new Float64Array(bytes('lng')),
    first: new Int32Array(bytes('first')),
    to: new Int32Array(bytes('to')),
    lengthM: new Float32Array(bytes('lengthM')),
    speedMps: new Float32Array(bytes('speedMps')),
    nameOf: new Int32Array(bytes('nameOf')),
    names: raw.names,
  };
}
