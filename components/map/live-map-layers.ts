import type { MapLayer } from './use-maplibre';

/** Drivers per res-7 cell (available + busy + stale): pale at a few, deep red at a hundred. */
export const densityLayer: MapLayer = {
  id: 'density',
  type: 'fill',
  paint: {
    'fill-color': ['interpolate', ['linear'], ['get', 'total'], 0, '#fde68a', 20, '#f97316', 100, '#b91c1c'],
    'fill-opacity': 0.35,
    'fill-outline-color': '#ffffff',
  },
};

export const surgeLayer: MapLayer = {
  id: 'surge',
  type: 'fill',
  paint: {
    // No surge is a pale wash (demand is there, prices are normal); the cap is deep red.
    'fill-color': [
      'interpolate',
      ['linear'],
      ['get', 'multiplier'],
      1,
      '#fef9c3',
      1.5,
      '#fb923c',
      2.5,
      '#991b1b',
    ],
    'fill-opacity': 0.45,
    'fill-outline-color': '#7c2d12',
  },
};

export const trackLayer: MapLayer = {
  id: 'track',
  type: 'line',
  layout: { 'line-join': 'round', 'line-cap': 'round' },
  paint: { 'line-color': '#0f766e', 'line-width': 4, 'line-opacity': 0.8 },
};

/** Colour by driver state; a stale driver is faded with an amber ring, the selected one larger. */
export const driversLayer: MapLayer = {
  id: 'drivers',
  type: 'circle',
  paint: {
    'circle-radius': ['case', ['get', 'selected'], 9, 6],
    'circle-color': [
      'match',
      ['get', 'state'],
      'available',
      '#16a34a',
      'paused',
      '#94a3b8',
      'offered',
      '#f59e0b',
      'en_route',
      '#2563eb',
      'on_trip',
      '#7c3aed',
      '#475569',
    ],
    'circle-opacity': ['case', ['get', 'stale'], 0.45, 0.95],
    'circle-stroke-width': ['case', ['get', 'stale'], 3, ['get', 'selected'], 3, 1],
    'circle-stroke-color': ['case', ['get', 'stale'], '#d97706', '#ffffff'],
  },
};

export const probeLayer: MapLayer = {
  id: 'probe',
  type: 'circle',
  paint: {
    'circle-radius': 7,
    'circle-color': '#0f172a',
    'circle-stroke-width': 3,
    'circle-stroke-color': '#fbbf24',
  },
};
