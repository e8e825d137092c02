'use client';
import { useMemo, useRef } from 'react';
import type { LatLng } from '@/domain/geo';
import type { DensityFrame } from '@/domain/realtime-contract';
import type { CellSurge } from '@/domain/surge';
import { cellFeature, collection, lineFeature, pointFeature } from './geojson';
import { densityLayer, driversLayer, probeLayer, surgeLayer, trackLayer } from './live-map-layers';
import { useMapLibre } from './use-maplibre';
import type { Bounds } from './viewport-cells';

export interface MapPoint {
  id: string;
  lat: number;
  lng: number;
  state: string;
  stale: boolean;
  selected: boolean;
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

/** The dispatcher's map: density and surge hexagons, a driver's track, driver points and a probe pin. Client-only. */
export function LiveMap(props: LiveMapProps) {
  const latest = useRef(props);
  latest.current = props;
  const { points, density, surge, probe } = props;
  const track = props.track ?? null;
  const densityData = useMemo(() => densityGeoJson(density), [density]);
  const surgeData = useMemo(() => surgeGeoJson(surge), [surge]);
  const trackData = useMemo(() => trackGeoJson(track), [track]);
  const driversData = useMemo(() => driversGeoJson(points), [points]);
  const probeData = useMemo(() => probeGeoJson(probe), [probe]);

  const { container } = useMapLibre({
    handle: '__odMap',
    zoom: 12.3,
    sources: [
      { id: 'density', data: densityData, layers: [densityLayer], visible: props.showDensity },
      { id: 'surge', data: surgeData, layers: [surgeLayer], visible: props.showSurge },
      { id: 'track', data: trackData, layers: [trackLayer] },
      { id: 'drivers', data: driversData, layers: [driversLayer] },
      { id: 'probe', data: probeData, layers: [probeLayer] },
    ],
    onClick: (e, m) => {
      const hit = m.queryRenderedFeatures(e.point, { layers: ['drivers'] })[0];
      const id = hit?.properties?.id;
      if (typeof id === 'string') props.onSelect(id);
      else props.onProbe({ lat: e.lngLat.lat, lng: e.lngLat.lng });
    },
    onLoad: (m) => {
      m.on('mouseenter', 'drivers', () => {
        m.getCanvas().style.cursor = 'pointer';
      });
      m.on('mouseleave', 'drivers', () => {
        m.getCanvas().style.cursor = '';
      });
      const reportViewport = () => {
        const b = m.getBounds();
        latest.current.onViewport({
          west: b.getWest(),
          south: b.getSouth(),
          east: b.getEast(),
          north: b.getNorth(),
        });
      };
      m.on('moveend', reportViewport);
      reportViewport();
    },
  });

  return <div ref={container} style={{ position: 'absolute', inset: 0 }} data-testid="live-map" />;
}

function driversGeoJson(points: MapPoint[]): GeoJSON.FeatureCollection {
  return collection(
    points.map((p) => pointFeature(p, { id: p.id, state: p.state, stale: p.stale, selected: p.selected })),
  );
}

function densityGeoJson(frame: DensityFrame | null): GeoJSON.FeatureCollection {
  return collection(
    (frame?.cells ?? []).map(([cell, available, busy, stale]) =>
      cellFeature(cell, { cell, available, busy, stale, total: available + busy + stale }),
    ),
  );
}

function surgeGeoJson(cells: CellSurge[]): GeoJSON.FeatureCollection {
  return collection(
    cells.map((c) =>
      cellFeature(c.cell, { cell: c.cell, multiplier: c.multiplier, demand: c.demand, supply: c.supply }),
    ),
  );
}

function trackGeoJson(track: LatLng[] | null): GeoJSON.FeatureCollection {
  return collection(track && track.length > 1 ? [lineFeature(track)] : []);
}

function probeGeoJson(probe: LatLng | null): GeoJSON.FeatureCollection {
  return collection(probe ? [pointFeature(probe)] : []);
}
