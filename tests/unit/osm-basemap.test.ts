import { describe, expect, it } from 'vitest';
import { basemapFeature, carRoadClass, roadClasses } from '@/domain/map/osm-basemap';

describe('what the basemap draws of OpenStreetMap', () => {
  it('draws car roads by class with their name, from the zoom of their class', () => {
    expect(
      basemapFeature('line', { highway: 'primary', name: 'Avenida 18 de Julio', oneway: 'yes' }),
    ).toEqual({
      layer: 'road',
      minZoom: roadClasses.primary,
      properties: { class: 'primary', name: 'Avenida 18 de Julio' },
    });
    expect(basemapFeature('line', { highway: 'residential' })?.properties).toEqual({ class: 'minor' });
    expect(basemapFeature('line', { highway: 'trunk_link' })?.properties.class).toBe('trunk');
    expect(basemapFeature('line', { highway: 'footway' })).toMatchObject({
      layer: 'road',
      properties: { class: 'path' },
    });
  });

  it('leaves out roads that do not exist yet and points that are not places', () => {
    expect(basemapFeature('line', { highway: 'proposed', name: 'Future Road' })).toBeNull();
    expect(basemapFeature('line', { highway: 'construction' })).toBeNull();
    expect(basemapFeature('point', { highway: 'traffic_signals' })).toBeNull();
    expect(basemapFeature('point', { natural: 'tree' })).toBeNull();
    expect(basemapFeature('point', { place: 'suburb' })).toBeNull(); // a place label needs a name
  });

  it('keeps water, parks, buildings and named places as their own layers', () => {
    expect(basemapFeature('polygon', { natural: 'water' })?.layer).toBe('water');
    expect(basemapFeature('polygon', { leisure: 'park', name: 'Parque Rodó' })?.layer).toBe('park');
    expect(basemapFeature('polygon', { landuse: 'grass' })?.layer).toBe('park');
    expect(basemapFeature('polygon', { building: 'yes' })).toMatchObject({ layer: 'building', minZoom: 14 });
    expect(basemapFeature('polygon', { building: 'no' })).toBeNull();
    expect(basemapFeature('line', { waterway: 'stream' })?.layer).toBe('waterway');
    expect(basemapFeature('point', { place: 'suburb', name: 'Cordón' })).toEqual({
      layer: 'place',
      minZoom: 11,
      properties: { name: 'Cordón' },
    });
  });

  it('tells which highways cars drive on', () => {
    expect(carRoadClass('secondary')).toBe('secondary');
    expect(carRoadClass('footway')).toBeUndefined();
    expect(carRoadClass(undefined)).toBeUndefined();
  });
});
