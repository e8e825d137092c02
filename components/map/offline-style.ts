import type { StyleSpecification } from 'maplibre-gl';
import { type CityConfig, streetLines } from '@/domain/city';

/**
 * A map style that needs no network: a background and the demo city's streets as GeoJSON.
 * No `glyphs`, so nothing asks for fonts. Every map opens through `useMapLibre`
 * (./use-maplibre.ts), which draws this style unless given a `styleUrl` (real tiles); no map
 * passes one yet.
 */
export function offlineStyle(city: CityConfig): StyleSpecification {
  return {
    version: 8,
    sources: {
      streets: {
        type: 'geojson',
        data: {
          type: 'FeatureCollection',
          features: streetLines(city).map((line) => ({
            type: 'Feature',
            properties: {},
            geometry: { type: 'LineString', coordinates: line.map((p) => [p.lng, p.lat]) },
          })),
        },
      },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef1f5' } },
      {
        id: 'streets',
        type: 'line',
        source: 'streets',
        paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1, 16, 8] },
      },
    ],
  };
}
