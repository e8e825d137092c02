import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { CityConfig } from '@/domain/city';
import type { RoadClass } from '@/domain/map/osm-basemap';

/**
 * The demo city's basemap: OpenStreetMap roads by class with their names, water, parks and
 * buildings, from vector tiles and a font the web app serves itself (built from npm packages by
 * scripts/build-basemap.ts), so every map works with no network. `origin` is the page's: MapLibre
 * fetches tiles from a worker, which needs absolute URLs.
 */
export function basemapStyle(city: CityConfig, origin: string): StyleSpecification {
  const base = `${origin}/vendor/basemap`;
  return {
    version: 8,
    glyphs: `${base}/fonts/{fontstack}/{range}.pbf`,
    sources: {
      osm: {
        type: 'vector',
        tiles: [`${base}/tiles/{z}/{x}/{y}.pbf`],
        minzoom: 10,
        // Overzoomed beyond: z14 tiles keep every vertex the source had.
        maxzoom: 14,
        bounds: [...city.basemap.bounds],
        attribution: city.attribution,
      },
    },
    layers: [
      { id: 'land', type: 'background', paint: { 'background-color': '#f2efe9' } },
      { id: 'park', type: 'fill', source: 'osm', 'source-layer': 'park', paint: { 'fill-color': '#d4e6c3' } },
      {
        id: 'water',
        type: 'fill',
        source: 'osm',
        'source-layer': 'water',
        paint: { 'fill-color': '#a9cfe0' },
      },
      {
        id: 'waterway',
        type: 'line',
        source: 'osm',
        'source-layer': 'waterway',
        paint: { 'line-color': '#a9cfe0', 'line-width': 1.5 },
      },
      {
        id: 'building',
        type: 'fill',
        source: 'osm',
        'source-layer': 'building',
        minzoom: 14,
        paint: { 'fill-color': '#e2dcd3', 'fill-outline-color': '#d3cbc0' },
      },
      roadLayer('road-path', ['path'], '#c7b9a6', [14, 0.5, 18, 2], [2, 2]),
      roadLayer('road-minor', ['minor', 'service'], '#ffffff', [12, 0.5, 18, 12]),
      roadLayer('road-tertiary', ['tertiary'], '#fffbe0', [11, 0.8, 18, 14]),
      roadLayer('road-secondary', ['secondary'], '#f7e9a8', [10, 1, 18, 16]),
      roadLayer('road-major', ['primary', 'trunk', 'motorway'], '#f5c48f', [10, 1.5, 18, 18]),
      {
        id: 'road-name',
        type: 'symbol',
        source: 'osm',
        'source-layer': 'road',
        minzoom: 14,
        filter: ['has', 'name'],
        layout: {
          'symbol-placement': 'line',
          'text-field': ['get', 'name'],
          'text-font': ['Noto Sans Regular'],
          'text-size': 11,
        },
        paint: { 'text-color': '#555', 'text-halo-color': '#fff', 'text-halo-width': 1.5 },
      },
      {
        id: 'place-name',
        type: 'symbol',
        source: 'osm',
        'source-layer': 'place',
        layout: { 'text-field': ['get', 'name'], 'text-font': ['Noto Sans Regular'], 'text-size': 12 },
        paint: { 'text-color': '#6b6258', 'text-halo-color': '#fff', 'text-halo-width': 1.5 },
      },
    ],
  };
}

function roadLayer(
  id: string,
  classes: RoadClass[],
  color: string,
  [z0, w0, z1, w1]: [number, number, number, number],
  dash?: [number, number],
): LayerSpecification {
  const width: ExpressionSpecification = ['interpolate', ['exponential', 1.6], ['zoom'], z0, w0, z1, w1];
  return {
    id,
    type: 'line',
    source: 'osm',
    'source-layer': 'road',
    filter: ['in', ['get', 'class'], ['literal', classes]],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': color, 'line-width': width, ...(dash ? { 'line-dasharray': dash } : {}) },
  };
}
