/**
 * Which OpenStreetMap features the demo basemap draws, and as what: the tiles in
 * `@mapbox/mvt-fixtures` carry every OSM tag on one layer; the basemap keeps a few layers with
 * a class and a name, so the tiles we serve stay small and the style stays simple. Pure: used
 * by the basemap build (scripts/build-basemap.ts) and its tests.
 */

export type OsmGeometryType = 'point' | 'line' | 'polygon';

export type BasemapLayer = 'water' | 'waterway' | 'park' | 'building' | 'road' | 'place';

export interface BasemapFeature {
  layer: BasemapLayer;
  /** Lowest zoom at which the basemap tiles carry the feature. */
  minZoom: number;
  properties: Record<string, string | number | boolean>;
}

/** Road classes the style knows, biggest first, with the zoom from which each is drawn. */
export const roadClasses = {
  motorway: 10,
  trunk: 10,
  primary: 10,
  secondary: 11,
  tertiary: 12,
  minor: 12,
  service: 14,
  path: 14,
} as const;

export type RoadClass = keyof typeof roadClasses;

/** OSM `highway` values of roads a car may use, by the class the map draws them as. */
const carHighways: Record<string, RoadClass> = {
  motorway: 'motorway',
  motorway_link: 'motorway',
  trunk: 'trunk',
  trunk_link: 'trunk',
  primary: 'primary',
  primary_link: 'primary',
  secondary: 'secondary',
  secondary_link: 'secondary',
  tertiary: 'tertiary',
  tertiary_link: 'tertiary',
  residential: 'minor',
  unclassified: 'minor',
  living_street: 'minor',
  service: 'service',
};

const pathHighways = new Set(['footway', 'path', 'pedestrian', 'steps', 'cycleway', 'track']);
const parkTags: Record<string, Set<string>> = {
  leisure: new Set(['park', 'pitch', 'playground', 'stadium', 'sports_centre', 'garden', 'golf_course']),
  landuse: new Set(['grass', 'recreation_ground', 'forest', 'cemetery', 'meadow', 'village_green']),
  natural: new Set(['wood', 'sand', 'beach', 'scrub', 'grassland', 'wetland']),
};
const placeZoom: Record<string, number> = { suburb: 11, neighbourhood: 13 };

/** The road class of a car road's `highway` tag, or undefined when cars do not use it. */
export function carRoadClass(highway: unknown): RoadClass | undefined {
  return typeof highway === 'string' ? carHighways[highway] : undefined;
}

/** What the basemap draws for one OSM feature, or null when it draws nothing. */
export function basemapFeature(
  type: OsmGeometryType,
  tags: Readonly<Record<string, unknown>>,
): BasemapFeature | null {
  const name = typeof tags.name === 'string' ? tags.name : undefined;
  const named: Record<string, string> = name ? { name } : {};
  if (type === 'line' && typeof tags.highway === 'string') {
    const cls = carHighways[tags.highway] ?? (pathHighways.has(tags.highway) ? 'path' : undefined);
    if (!cls) return null;
    return { layer: 'road', minZoom: roadClasses[cls], properties: { class: cls, ...named } };
  }
  if (type === 'line' && typeof tags.waterway === 'string') {
    return { layer: 'waterway', minZoom: tags.waterway === 'river' ? 10 : 13, properties: {} };
  }
  if (type !== 'polygon') {
    const zoom = type === 'point' && typeof tags.place === 'string' ? placeZoom[tags.place] : undefined;
    return zoom !== undefined && name ? { layer: 'place', minZoom: zoom, properties: { name } } : null;
  }
  if (tags.natural === 'water' || tags.landuse === 'reservoir' || tags.landuse === 'basin') {
    return { layer: 'water', minZoom: 10, properties: {} };
  }
  for (const [key, values] of Object.entries(parkTags)) {
    if (typeof tags[key] === 'string' && values.has(tags[key])) {
      return { layer: 'park', minZoom: 11, properties: {} };
    }
  }
  if (tags.building !== undefined && tags.building !== 'no') {
    return { layer: 'building', minZoom: 14, properties: {} };
  }
  return null;
}
