import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { cellFeature, collection, lineFeature, pointFeature } from '@/components/map/geojson';

const centre = { lat: 12.9716, lng: 77.5946 };

describe('map GeoJSON', () => {
  it('puts longitude first, as GeoJSON and MapLibre expect', () => {
    expect(pointFeature(centre, { id: 'd1' })).toEqual({
      type: 'Feature',
      properties: { id: 'd1' },
      geometry: { type: 'Point', coordinates: [77.5946, 12.9716] },
    });
    expect(lineFeature([centre, { lat: 13, lng: 77.6 }]).geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [77.5946, 12.9716],
        [77.6, 13],
      ],
    });
  });

  it('draws an H3 cell as a closed hexagon around its points', () => {
    const cell = latLngToCell(centre.lat, centre.lng, 7);
    const feature = cellFeature(cell, { cell });
    if (feature.geometry.type !== 'Polygon') throw new Error(feature.geometry.type);
    const [ring] = feature.geometry.coordinates;
    expect(ring).toHaveLength(7);
    expect(ring![0]).toEqual(ring![6]);
    for (const [lng, lat] of ring!) {
      expect(Math.abs(lng! - centre.lng)).toBeLessThan(0.05);
      expect(Math.abs(lat! - centre.lat)).toBeLessThan(0.05);
    }
    expect(feature.properties).toEqual({ cell });
  });

  it('wraps features in a collection', () => {
    expect(collection([])).toEqual({ type: 'FeatureCollection', features: [] });
  });
});
