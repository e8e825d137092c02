'use client';
import 'maplibre-gl/dist/maplibre-gl.css';
import { cellToBoundary } from 'h3-js';
import { type GeoJSONSource, Map as MapLibre, setWorkerUrl } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { demoCity } from '@/domain/city';
import { offlineStyle } from '../map/offline-style';

export type HeatMetric = 'requests' | 'unserved' | 'avgSupply';

export interface HeatCell {
  cell: string;
  requests: number;
  unserved: number;
  avgSupply: number | null;
}

declare global {
  interface Window {
    /** The analytics heatmap, for browser tests. */
    __odAnalyticsMap?: MapLibre;
  }
}

/** H3 res-7 cells shaded by the chosen metric, relative to the busiest cell; zero is not drawn. */
function cellsGeoJson(cells: HeatCell[], metric: HeatMetric): GeoJSON.FeatureCollection {
  const value = (c: HeatCell) => c[metric] ?? 0;
  const max = Math.max(0, ...cells.map(value));
  return {
    type: 'FeatureCollection',
    features: cells
      .filter((c) => value(c) > 0)
      .map((c) => ({
        type: 'Feature',
        properties: { cell: c.cell, value: value(c), share: max > 0 ? value(c) / max : 0 },
        geometry: { type: 'Polygon', coordinates: [cellToBoundary(c.cell, true)] },
      })),
  };
}

/** MapLibre with the offline style and a fill layer of cells (client-only). */
export function CellHeatmap({ cells, metric }: { cells: HeatCell[]; metric: HeatMetric }) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibre | null>(null);
  const latest = useRef({ cells, metric });
  latest.current = { cells, metric };

  useEffect(() => {
    if (!container.current) return;
    setWorkerUrl('/vendor/maplibre-gl-worker.mjs');
    const m = new MapLibre({
      container: container.current,
      style: offlineStyle(demoCity),
      center: [demoCity.center.lng, demoCity.center.lat],
      zoom: 10.5,
      attributionControl: false,
    });
    map.current = m;
    window.__odAnalyticsMap = m;
    m.on('load', () => {
      m.addSource('cells', {
        type: 'geojson',
        data: cellsGeoJson(latest.current.cells, latest.current.metric),
      });
      m.addLayer({
        id: 'cells',
        type: 'fill',
        source: 'cells',
        paint: {
          'fill-color': [
            'interpolate',
            ['linear'],
            ['get', 'share'],
            0,
            '#fef3c7',
            0.5,
            '#f97316',
            1,
            '#991b1b',
          ],
          'fill-opacity': 0.55,
          'fill-outline-color': '#7c2d12',
        },
      });
      m.getContainer().dataset.ready = 'true';
    });
    return () => {
      m.remove();
      if (window.__odAnalyticsMap === m) window.__odAnalyticsMap = undefined;
    };
  }, []);

  useEffect(() => {
    const source = map.current?.getSource('cells') as GeoJSONSource | undefined;
    source?.setData(cellsGeoJson(cells, metric));
  }, [cells, metric]);

  return <div ref={container} className="heatmap" data-testid="heatmap" />;
}
