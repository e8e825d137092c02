'use client';
import { LngLatBounds, type Map as MapLibre, Marker } from 'maplibre-gl';
import { useEffect, useMemo, useRef } from 'react';
import type { LatLng } from '@/domain/geo';
import { collection, lineFeature } from './geojson';
import { type MapLayer, useMapLibre } from './use-maplibre';
import './trip-map.css';

export type TripEnd = 'pickup' | 'dropoff';

export interface TripMapProps {
  pickup: LatLng | null;
  dropoff: LatLng | null;
  driver?: LatLng | null;
  /** The road route between the ends (from the quote); without it, a dashed straight line. */
  route?: readonly LatLng[] | null;
  /** Clicks and drags move the ends (planning); off while a trip is under way. */
  editable: boolean;
  /** Which end a click on the map sets. */
  clickSets?: TripEnd;
  onPick?: (end: TripEnd, at: LatLng) => void;
  /** Changes when the map should re-frame (a place was chosen, a trip opened). */
  frameKey?: string;
}

/** The rider's map: draggable pickup and drop-off pins, the route between them (by road once quoted), the driver. */
export function TripMap(props: TripMapProps) {
  const markers = useRef<Partial<Record<TripEnd | 'driver', Marker>>>({});
  const latest = useRef(props);
  latest.current = props;
  const { pickup, dropoff, driver, editable } = props;
  const roadRoute = props.route && props.route.length >= 2 ? props.route : null;
  const straight = useMemo(
    () => collection(pickup && dropoff && !roadRoute ? [lineFeature([pickup, dropoff])] : []),
    [pickup, dropoff, roadRoute],
  );
  const road = useMemo(() => collection(roadRoute ? [lineFeature([...roadRoute])] : []), [roadRoute]);

  const { container, map } = useMapLibre({
    handle: '__odTripMap',
    zoom: 12,
    sources: [
      { id: 'route', data: straight, layers: [straightLayer] },
      { id: 'road-route', data: road, layers: [roadLayer] },
    ],
    onClick: (e) => {
      if (!editable || !props.onPick) return;
      // A click on a pin (a drag that did not move) is not a new point.
      if ((e.originalEvent.target as HTMLElement | null)?.closest('.maplibregl-marker')) return;
      // The first clicks fill whichever end is still empty; after that the chosen end moves.
      const end: TripEnd = !pickup ? 'pickup' : !dropoff ? 'dropoff' : (props.clickSets ?? 'dropoff');
      props.onPick(end, { lat: e.lngLat.lat, lng: e.lngLat.lng });
    },
  });

  // Markers live on one map: a new map (another style) places its own.
  useEffect(() => {
    if (!map) return;
    return () => {
      markers.current = {};
    };
  }, [map]);

  useEffect(() => {
    if (!map) return;
    const ends = { pickup, dropoff };
    for (const end of ['pickup', 'dropoff'] as const) {
      placeMarker(map, markers.current, end, ends[end], () => {
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
  }, [map, pickup, dropoff, editable]);

  useEffect(() => {
    if (!map) return;
    placeMarker(map, markers.current, 'driver', driver ?? null, () => {
      const el = document.createElement('div');
      el.className = 'trip-car';
      el.setAttribute('role', 'img');
      el.setAttribute('aria-label', 'Your driver');
      el.dataset.testid = 'driver-marker';
      return new Marker({ element: el });
    });
    // Keep the driver in sight on a long drive, without re-framing on every move.
    if (driver && !map.getBounds().contains([driver.lng, driver.lat]))
      map.easeTo({ center: [driver.lng, driver.lat] });
  }, [map, driver]);

  // Re-frame on request: every point that is set, with room around it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-framing follows frameKey only, not every move
  useEffect(() => {
    const points = [props.pickup, props.dropoff, props.driver].filter((p): p is LatLng => !!p);
    if (!map || points.length === 0 || !props.frameKey) return;
    if (points.length === 1) {
      map.easeTo({
        center: [points[0]!.lng, points[0]!.lat],
        zoom: Math.max(map.getZoom(), 13),
        duration: 0,
      });
      return;
    }
    const bounds = new LngLatBounds();
    for (const p of points) bounds.extend([p.lng, p.lat]);
    map.fitBounds(bounds, { padding: 60, maxZoom: 15, duration: 0 });
  }, [map, props.frameKey]);

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

/** A guess between the ends, until a quote brings the road route. */
const straightLayer: MapLayer = {
  id: 'route',
  type: 'line',
  paint: { 'line-color': '#0f172a', 'line-width': 3, 'line-dasharray': [2, 2] },
};

const roadLayer: MapLayer = {
  id: 'road-route',
  type: 'line',
  layout: { 'line-join': 'round', 'line-cap': 'round' },
  paint: { 'line-color': '#2563eb', 'line-width': 5, 'line-opacity': 0.85 },
};
