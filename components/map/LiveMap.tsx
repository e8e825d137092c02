'use client';
import 'maplibre-gl/dist/maplibre-gl.css';
import { cellToBoundary } from 'h3-js';
import { type GeoJSONSource, Map as MapLibre, setWorkerUrl } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { demoCity } from '@/domain/city';
import type { LatLng } from '@/domain/geo';
import type { DensityFrame } from '@/domain/realtime-contract';
import type { CellSurge } from '@/domain/surge';
import { offlineStyle } from './offline-style';
import type { Bounds } from './viewport-cells';

export interface MapPoint {
  id: string;
  lat: number;
  lng: number;
  state: string;
  stale: boolean;
  selected: boolean;
}

const stateColors = [
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
] as const;

declare global {
  interface Window {
    /** The live map, for browser tests and debugging from the console. */
    __odMap?: MapLibre;
  }
}

export interface LiveMapProps {
  points: MapPoint[];
  density: DensityFrame | null;
  showDensity: boolean;
  /** Surge per H3 cell (operations.surge), drawn as shaded hexagons when `showSurge`. */
  surge: CellSurge[];
  showSurge: boolean;
  probe: LatLng | null;
  /** A driver's past positions (operations.driverTrack), oldest first, drawn as a line. */
  track?: LatLng[] | null;
  onSelect: (id: string) => void;
  onProbe: (at: LatLng) => void;
  onViewport: (bounds: Bounds) => void;
}

/** MapLibre with the offline style, a density layer, driver points and a probe pin. Client-only. */
export function LiveMap(props: LiveMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibre | null>(null);
  const ready = useRef(false);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    if (!container.current) return;
    setWorkerUrl('/vendor/maplibre-gl-worker.mjs');
    const m = new MapLibre({
      container: container.current,
      style: offlineStyle(demoCity),
      center: [demoCity.center.lng, demoCity.center.lat],
      zoom: 12.3,
      attributionControl: false,
    });
    map.current = m;
    window.__odMap = m;
    const reportViewport = () => {
      const b = m.getBounds();
      latest.current.onViewport({
        west: b.getWest(),
        south: b.getSouth(),
        east: b.getEast(),
        north: b.getNorth(),
      });
    };
    m.on('load', () => {
      m.addSource('density', { type: 'geojson', data: densityGeoJson(null) });
      m.addLayer({
        id: 'density',
        type: 'fill',
        source: 'density',
        layout: { visibility: latest.current.showDensity ? 'visible' : 'none' },
        paint: {
          'fill-color': [
            'interpolate',
            ['linear'],
            ['get', 'total'],
            0,
            '#fde68a',
            20,
            '#f97316',
            100,
            '#b91c1c',
          ],
          'fill-opacity': 0.35,
          'fill-outline-color': '#ffffff',
        },
      });
      m.addSource('surge', { type: 'geojson', data: surgeGeoJson(latest.current.surge) });
      m.addLayer({
        id: 'surge',
        type: 'fill',
        source: 'surge',
        layout: { visibility: latest.current.showSurge ? 'visible' : 'none' },
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
      });
      m.addSource('track', { type: 'geojson', data: trackGeoJson(latest.current.track ?? null) });
      m.addLayer({
        id: 'track',
        type: 'line',
        source: 'track',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': '#0f766e', 'line-width': 4, 'line-opacity': 0.8 },
      });
      m.addSource('drivers', { type: 'geojson', data: driversGeoJson(latest.current.points) });
      m.addLayer({
        id: 'drivers',
        type: 'circle',
        source: 'drivers',
        paint: {
          'circle-radius': ['case', ['get', 'selected'], 9, 6],
          'circle-color': stateColors as unknown as string,
          'circle-opacity': ['case', ['get', 'stale'], 0.45, 0.95],
          'circle-stroke-width': ['case', ['get', 'stale'], 3, ['get', 'selected'], 3, 1],
          'circle-stroke-color': ['case', ['get', 'stale'], '#d97706', '#ffffff'],
        },
      });
      m.addSource('probe', { type: 'geojson', data: probeGeoJson(null) });
      m.addLayer({
        id: 'probe',
        type: 'circle',
        source: 'probe',
        paint: {
          'circle-radius': 7,
          'circle-color': '#0f172a',
          'circle-stroke-width': 3,
          'circle-stroke-color': '#fbbf24',
        },
      });
      m.on('click', (e) => {
        const hit = m.queryRenderedFeatures(e.point, { layers: ['drivers'] })[0];
        const id = hit?.properties?.id;
        if (typeof id === 'string') latest.current.onSelect(id);
        else latest.current.onProbe({ lat: e.lngLat.lat, lng: e.lngLat.lng });
      });
      m.on('mouseenter', 'drivers', () => {
        m.getCanvas().style.cursor = 'pointer';
      });
      m.on('mouseleave', 'drivers', () => {
        m.getCanvas().style.cursor = '';
      });
      m.on('moveend', reportViewport);
      ready.current = true;
      reportViewport();
    });
    return () => {
      ready.current = false;
      m.remove();
      if (window.__odMap === m) window.__odMap = undefined;
    };
  }, []);

  useEffect(() => {
    if (ready.current)
      (map.current?.getSource('drivers') as GeoJSONSource | undefined)?.setData(driversGeoJson(props.points));
  }, [props.points]);

  useEffect(() => {
    if (ready.current)
      (map.current?.getSource('track') as GeoJSONSource | undefined)?.setData(
        trackGeoJson(props.track ?? null),
      );
  }, [props.track]);

  useEffect(() => {
    if (ready.current)
      (map.current?.getSource('density') as GeoJSONSource | undefined)?.setData(
        densityGeoJson(props.density),
      );
  }, [props.density]);

  useEffect(() => {
    if (ready.current)
      map.current?.setLayoutProperty('density', 'visibility', props.showDensity ? 'visible' : 'none');
  }, [props.showDensity]);

  useEffect(() => {
    if (ready.current)
      (map.current?.getSource('probe') as GeoJSONSource | undefined)?.setData(probeGeoJson(props.probe));
  }, [props.probe]);

  useEffect(() => {
    if (ready.current)
      (map.current?.getSource('surge') as GeoJSONSource | undefined)?.setData(surgeGeoJson(props.surge));
  }, [props.surge]);

  useEffect(() => {
    if (ready.current)
      map.current?.setLayoutProperty('surge', 'visibility', props.showSurge ? 'visible' : 'none');
  }, [props.showSurge]);

  return <div ref={container} style={{ position: 'absolute', inset: 0 }} data-testid="live-map" />;
}

function driversGeoJson(points: MapPoint[]): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: points.map((p) => ({
      type: 'Feature',
      properties: { id: p.id, state: p.state, stale: p.stale, selected: p.selected },
      geometry: { type: 'Point', coordinates: [p.lng, p.lat] },
    })),
  };
}

function densityGeoJson(frame: DensityFrame | null): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: (frame?.cells ?? []).map(([cell, available, busy, stale]) => {
      const ring = cellToBoundary(cell, true);
      return {
        type: 'Feature',
        properties: { cell, available, busy, stale, total: available + busy + stale },
        geometry: { type: 'Polygon', coordinates: [ring] },
      };
    }),
  };
}

function surgeGeoJson(cells: CellSurge[]): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: cells.map((c) => ({
      type: 'Feature',
      properties: { cell: c.cell, multiplier: c.multiplier, demand: c.demand, supply: c.supply },
      geometry: { type: 'Polygon', coordinates: [cellToBoundary(c.cell, true)] },
    })),
  };
}

function trackGeoJson(track: LatLng[] | null): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features:
      track && track.length > 1
        ? [
            {
              type: 'Feature',
              properties: {},
              geometry: { type: 'LineString', coordinates: track.map((p) => [p.lng, p.lat]) },
            },
          ]
        : [],
  };
}

function probeGeoJson(probe: LatLng | null): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: probe
      ? [
          {
            type: 'Feature',
            properties: {},
            geometry: { type: 'Point', coordinates: [probe.lng, probe.lat] },
          },
        ]
      : [],
  };
}
