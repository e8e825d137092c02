'use client';
import 'maplibre-gl/dist/maplibre-gl.css';
import { cellToBoundary, gridDisk, isValidCell, latLngToCell } from 'h3-js';
import { type GeoJSONSource, Map as MapLibre, setWorkerUrl } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { offlineStyle } from '@/components/map/offline-style';
import { demoCity } from '@/domain/city';
import { serviceAreaResolution } from '@/domain/service-area';

declare global {
  interface Window {
    /** The service-area map, for browser tests (projecting cells to clicks). */
    __odAreaMap?: MapLibre;
  }
}

/** Cells drawn as faint outlines around the city, so admins see where a click will land. */
const guideRings = 14;

function cellsGeoJson(cells: Iterable<string>): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = [];
  for (const cell of cells) {
    if (!isValidCell(cell)) continue;
    // cellToBoundary gives [lat, lng]; GeoJSON wants [lng, lat] and a closed ring.
    const ring = cellToBoundary(cell, true);
    features.push({
      type: 'Feature',
      properties: { cell },
      geometry: { type: 'Polygon', coordinates: [ring] },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** MapLibre with the offline style: selected res-7 cells filled; a click toggles the cell under it. */
export function ServiceAreaMap({ cells, onToggle }: { cells: string[]; onToggle: (cell: string) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibre | null>(null);
  const latest = useRef({ cells, onToggle });
  latest.current = { cells, onToggle };

  useEffect(() => {
    if (!container.current) return;
    setWorkerUrl('/vendor/maplibre-gl-worker.mjs');
    const m = new MapLibre({
      container: container.current,
      style: offlineStyle(demoCity),
      center: [demoCity.center.lng, demoCity.center.lat],
      zoom: 9.6,
      attributionControl: false,
    });
    map.current = m;
    window.__odAreaMap = m;
    m.on('load', () => {
      const centre = latLngToCell(demoCity.center.lat, demoCity.center.lng, serviceAreaResolution);
      m.addSource('guide', { type: 'geojson', data: cellsGeoJson(gridDisk(centre, guideRings)) });
      m.addSource('area', { type: 'geojson', data: cellsGeoJson(latest.current.cells) });
      m.addLayer({
        id: 'guide',
        type: 'line',
        source: 'guide',
        paint: { 'line-color': '#94a3b8', 'line-width': 0.5 },
      });
      m.addLayer({
        id: 'area',
        type: 'fill',
        source: 'area',
        paint: { 'fill-color': '#2563eb', 'fill-opacity': 0.35 },
      });
      m.addLayer({
        id: 'area-edge',
        type: 'line',
        source: 'area',
        paint: { 'line-color': '#1d4ed8', 'line-width': 1 },
      });
      m.getContainer().dataset.ready = 'true';
    });
    m.on('click', (e) => {
      latest.current.onToggle(latLngToCell(e.lngLat.lat, e.lngLat.lng, serviceAreaResolution));
    });
    return () => {
      m.remove();
      if (window.__odAreaMap === m) window.__odAreaMap = undefined;
    };
  }, []);

  useEffect(() => {
    (map.current?.getSource('area') as GeoJSONSource | undefined)?.setData(cellsGeoJson(cells));
    if (container.current) container.current.dataset.cells = String(cells.length);
  }, [cells]);

  return (
    <div className="area-map">
      <div ref={container} style={{ position: 'absolute', inset: 0 }} data-testid="area-map" />
    </div>
  );
}
