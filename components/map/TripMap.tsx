'use client';
import 'maplibre-gl/dist/maplibre-gl.css';
import { type GeoJSONSource, LngLatBounds, Map as MapLibre, Marker, setWorkerUrl } from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { demoCity } from '@/domain/city';
import type { LatLng } from '@/domain/geo';
import { offlineStyle } from './offline-style';
import './trip-map.css';

export type TripEnd = 'pickup' | 'dropoff';

declare global {
  interface Window {
    /** The rider's trip map, for browser tests (projecting coordinates to clicks and markers). */
    __odTripMap?: MapLibre;
  }
}

export interface TripMapProps {
  pickup: LatLng | null;
  dropoff: LatLng | null;
  driver?: LatLng | null;
  /** Clicks and drags move the ends (planning); off while a trip is under way. */
  editable: boolean;
  /** Which end a click on the map sets. */
  clickSets?: TripEnd;
  onPick?: (end: TripEnd, at: LatLng) => void;
  /** Changes when the map should re-frame (a place was chosen, a trip opened). */
  frameKey?: string;
}

/** MapLibre with the offline style: draggable pickup and drop-off pins, the route, the driver. */
export function TripMap(props: TripMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<MapLibre | null>(null);
  const markers = useRef<Partial<Record<TripEnd | 'driver', Marker>>>({});
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    if (!container.current) return;
    setWorkerUrl('/vendor/maplibre-gl-worker.mjs');
    const m = new MapLibre({
      container: container.current,
      style: offlineStyle(demoCity),
      center: [demoCity.center.lng, demoCity.center.lat],
      zoom: 12,
      attributionControl: false,
    });
    map.current = m;
    window.__odTripMap = m;
    m.on('load', () => {
      m.addSource('route', { type: 'geojson', data: routeGeoJson(null, null) });
      m.addLayer({
        id: 'route',
        type: 'line',
        source: 'route',
        paint: { 'line-color': '#0f172a', 'line-width': 3, 'line-dasharray': [2, 2] },
      });
      m.getContainer().dataset.ready = 'true';
      syncRoute(m, latest.current.pickup, latest.current.dropoff);
    });
    m.on('click', (e) => {
      const p = latest.current;
      if (!p.editable || !p.onPick) return;
      // A click on a pin (a drag that did not move) is not a new point.
      if ((e.originalEvent.target as HTMLElement | null)?.closest('.maplibregl-marker')) return;
      // The first clicks fill whichever end is still empty; after that the chosen end moves.
      const end: TripEnd = !p.pickup ? 'pickup' : !p.dropoff ? 'dropoff' : (p.clickSets ?? 'dropoff');
      p.onPick(end, { lat: e.lngLat.lat, lng: e.lngLat.lng });
    });
    return () => {
      m.remove();
      markers.current = {};
      if (window.__odTripMap === m) window.__odTripMap = undefined;
    };
  }, []);

  const { pickup, dropoff, driver, editable } = props;
  useEffect(() => {
    const m = map.current;
    if (!m) return;
    const ends = { pickup, dropoff };
    for (const end of ['pickup', 'dropoff'] as const) {
      placeMarker(m, markers.current, end, ends[end], () => {
        const el = document.createElement('div');
        el.className = `trip-pin trip-pin-${end}`;
        el.textContent = end === 'pickup' ? 'A' : 'B';
        el.setAttribute('role', 'img');
        el.setAttribute('aria-label', end === 'pickup' ? 'Pickup' : 'Drop-off');
        el.dataset.testid = `${end}-marker`;
        // Centred on the point: what the pin covers is where the trip starts or ends.
        const marker = new Marker({ element: el, draggable: true });
        marker.on('dragend', () => {
          const at = marker.getLngLat();
          latest.current.onPick?.(end, { lat: at.lat, lng: at.lng });
        });
        return marker;
      });
      markers.current[end]?.setDraggable(editable);
    }
    syncRoute(m, pickup, dropoff);
  }, [pickup, dropoff, editable]);

  useEffect(() => {
    const m = map.current;
    if (!m) return;
    placeMarker(m, markers.current, 'driver', driver ?? null, () => {
      const el = document.createElement('div');
      el.className = 'trip-car';
      el.setAttribute('role', 'img');
      el.setAttribute('aria-label', 'Your driver');
      el.dataset.testid = 'driver-marker';
      return new Marker({ element: el });
    });
    // Keep the driver in sight on a long drive, without re-framing on every move.
    if (driver && !m.getBounds().contains([driver.lng, driver.lat]))
      m.easeTo({ center: [driver.lng, driver.lat] });
  }, [driver]);

  // Re-frame on request: every point that is set, with room around it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-framing follows frameKey only, not every move
  useEffect(() => {
    const m = map.current;
    const points = [props.pickup, props.dropoff, props.driver].filter((p): p is LatLng => !!p);
    if (!m || points.length === 0 || !props.frameKey) return;
    if (points.length === 1) {
      m.easeTo({ center: [points[0]!.lng, points[0]!.lat], zoom: Math.max(m.getZoom(), 13), duration: 0 });
      return;
    }
    const bounds = new LngLatBounds();
    for (const p of points) bounds.extend([p.lng, p.lat]);
    m.fitBounds(bounds, { padding: 60, maxZoom: 15, duration: 0 });
  }, [props.frameKey]);

  return (
    <div className="trip-map-frame">
      <div ref={container} style={{ position: 'absolute', inset: 0 }} data-testid="trip-map" />
    </div>
  );
}

/** Creates, moves or removes one marker; its element carries the position for tests and tools. */
function placeMarker(
  m: MapLibre,
  all: Partial<Record<TripEnd | 'driver', Marker>>,
  key: TripEnd | 'driver',
  at: LatLng | null,
  create: () => Marker,
): void {
  let marker = all[key];
  if (!at) {
    marker?.remove();
    delete all[key];
    return;
  }
  if (!marker) {
    marker = create();
    all[key] = marker;
    marker.setLngLat([at.lng, at.lat]).addTo(m);
  } else {
    marker.setLngLat([at.lng, at.lat]);
  }
  const el = marker.getElement();
  el.dataset.lat = at.lat.toFixed(6);
  el.dataset.lng = at.lng.toFixed(6);
}

function syncRoute(m: MapLibre, pickup: LatLng | null, dropoff: LatLng | null): void {
  (m.getSource('route') as GeoJSONSource | undefined)?.setData(routeGeoJson(pickup, dropoff));
}

function routeGeoJson(a: LatLng | null, b: LatLng | null): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features:
      a && b
        ? [
            {
              type: 'Feature',
              properties: {},
              geometry: {
                type: 'LineString',
                coordinates: [
                  [a.lng, a.lat],
                  [b.lng, b.lat],
                ],
              },
            },
          ]
        : [],
  };
}
