'use client';
import 'maplibre-gl/dist/maplibre-gl.css';
import { type GeoJSONSource, Map as MapLibre, setWorkerUrl } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { demoCity } from '@/domain/city';
import { offlineStyle } from './offline-style';

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

/** MapLibre with the offline style and one GeoJSON layer of driver points. Client-only. */
export function LiveMap({ points, onSelect }: { points: MapPoint[]; onSelect: (id: string) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibre | null>(null);
  const ready = useRef(false);
  const latest = useRef(points);
  latest.current = points;
  const select = useRef(onSelect);
  select.current = onSelect;

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
    m.on('load', () => {
      m.addSource('drivers', { type: 'geojson', data: toGeoJson(latest.current) });
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
      m.on('click', 'drivers', (e) => {
        const id = e.features?.[0]?.properties?.id;
        if (typeof id === 'string') select.current(id);
      });
      m.on('mouseenter', 'drivers', () => {
        m.getCanvas().style.cursor = 'pointer';
      });
      m.on('mouseleave', 'drivers', () => {
        m.getCanvas().style.cursor = '';
      });
      ready.current = true;
    });
    return () => {
      ready.current = false;
      m.remove();
      if (window.__odMap === m) window.__odMap = undefined;
    };
  }, []);

  useEffect(() => {
    if (!ready.current) return;
    (map.current?.getSource('drivers') as GeoJSONSource | undefined)?.setData(toGeoJson(points));
  }, [points]);

  return <div ref={container} style={{ position: 'absolute', inset: 0 }} data-testid="live-map" />;
}

function toGeoJson(points: MapPoint[]): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: points.map((p) => ({
      type: 'Feature',
      properties: { id: p.id, state: p.state, stale: p.stale, selected: p.selected },
      geometry: { type: 'Point', coordinates: [p.lng, p.lat] },
    })),
  };
}
