import { cellToBoundary } from 'h3-js';
import type { LatLng } from '@/domain/geo';

/** The shapes the maps draw, as GeoJSON (which orders coordinates [lng, lat]). */
export function collection(features: GeoJSON.Feature[]): GeoJSON.FeatureCollection {
  return { type: 'FeatureCollection', features };
}

export function pointFeature(at: LatLng, properties: GeoJSON.GeoJsonProperties = {}): GeoJSON.Feature {
  return { type: 'Feature', properties, geometry: { type: 'Point', coordinates: [at.lng, at.lat] } };
}

export function lineFeature(points: LatLng[], properties: GeoJSON.GeoJsonProperties = {}): GeoJSON.Feature {
  return {
    type: 'Feature',
    properties,
    geometry: { type: 'LineString', coordinates: points.map((p) => [p.lng, p.lat]) },
  };
}

/** An H3 cell's hexagon; `cellToBoundary(cell, true)` gives a closed [lng, lat] ring. */
export function cellFeature(cell: string, properties: GeoJSON.GeoJsonProperties): GeoJSON.Feature {
  return {
    type: 'Feature',
    properties,
    geometry: { type: 'Polygon', coordinates: [cellToBoundary(cell, true)] },
  };
}
