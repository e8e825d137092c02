'use client';
import 'maplibre-gl/dist/maplibre-gl.css';
import {
  addProtocol,
  type DistributiveOmit,
  type GeoJSONSource,
  type LayerSpecification,
  Map as MapLibre,
  type MapMouseEvent,
  setWorkerUrl,
} from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { demoCity } from '@/domain/city';
import { basemapStyle } from './basemap-style';

declare global {
  interface Window {
    /** The dispatcher's live map, for browser tests and debugging from the console. */
    __odMap?: MapLibre;
    /** The rider's trip map, for browser tests (projecting coordinates to clicks and markers). */
    __odTripMap?: MapLibre;
    /** The service-area map, for browser tests (projecting cells to clicks). */
    __odAreaMap?: MapLibre;
    /** The analytics heatmap, for browser tests. */
    __odAnalyticsMap?: MapLibre;
  }
}

export type MapHandle = '__odMap' | '__odTripMap' | '__odAreaMap' | '__odAnalyticsMap';

/** A layer drawn from a GeoJSON source; the kit fills in `source`. */
export type MapLayer = DistributiveOmit<
  Extract<LayerSpecification, { type: 'fill' | 'line' | 'circle' }>,
  'source'
>;

/** A GeoJSON source and the layers drawn from it. */
export interface GeoJsonLayers {
  id: string;
  /** Compared by reference: a new object is sent to the map, the same one is not. */
  data: GeoJSON.FeatureCollection;
  /** Bottom first. */
  layers: MapLayer[];
  /** Hides the layers and keeps the data; shown when left out. */
  visible?: boolean;
}

export interface MapKitOptions {
  /** Window property naming this map for browser tests. */
  handle: MapHandle;
  zoom: number;
  /**
   * A MapLibre style URL for this map alone; changing it opens a new map. Without it the map
   * draws the operator's MAP_STYLE_URL (see configuredStyleUrl), else the built-in basemap.
   */
  styleUrl?: string;
  /** Drawn in this order over the style, once the style has loaded. */
  sources: GeoJsonLayers[];
  /** Always the latest handler; clicks count from load on. */
  onClick?: (e: MapMouseEvent, map: MapLibre) => void;
  /** Once, after the sources are drawn: for listeners that need the layers. */
  onLoad?: (map: MapLibre) => void;
}

/**
 * Opens a MapLibre map on the demo city in `container`, draws the GeoJSON sources and layers
 * once, then sends each source's data only when it changes; removes the map on unmount.
 * `map` is null until the style and layers are loaded; the container then has data-ready="true".
 */
export function useMapLibre(options: MapKitOptions): {
  container: RefObject<HTMLDivElement | null>;
  map: MapLibre | null;
} {
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibre | null>(null);
  const latest = useRef(options);
  latest.current = options;
  /** What each source last gave the map, to send only changes. */
  const drawn = useRef(new Map<string, GeoJsonLayers>());
  const { styleUrl, handle } = options;

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    registerProtocols();
    const m = new MapLibre({
      container: el,
      style: styleUrl ?? configuredStyleUrl() ?? basemapStyle(demoCity, window.location.origin),
      center: [demoCity.center.lng, demoCity.center.lat],
      zoom: latest.current.zoom,
      attributionControl: { compact: true },
    });
    window[handle] = m;
    m.on('load', () => {
      drawn.current.clear();
      for (const set of latest.current.sources) {
        m.addSource(set.id, { type: 'geojson', data: set.data });
        for (const layer of set.layers)
          m.addLayer({ ...layer, source: set.id, layout: { ...layer.layout, visibility: visibility(set) } });
        drawn.current.set(set.id, set);
      }
      m.on('click', (e) => latest.current.onClick?.(e, m));
      latest.current.onLoad?.(m);
      el.dataset.ready = 'true';
      setMap(m);
    });
    return () => {
      setMap(null);
      delete el.dataset.ready;
      m.remove();
      if (window[handle] === m) window[handle] = undefined;
    };
  }, [styleUrl, handle]);

  // Runs after every render: comparing references is cheaper than rebuilding the caller's list.
  useEffect(() => {
    if (!map) return;
    for (const set of options.sources) {
      const before = drawn.current.get(set.id);
      if (!before) continue;
      if (set.data !== before.data)
        void (map.getSource(set.id) as GeoJSONSource | undefined)?.setData(set.data);
      if (visibility(set) !== visibility(before))
        for (const layer of set.layers) map.setLayoutProperty(layer.id, 'visibility', visibility(set));
      drawn.current.set(set.id, set);
    }
  });

  return { container, map };
}

let registered = false;

/** Once per page: MapLibre's worker, and `pmtiles://` sources for self-hosted PMTiles archives. */
function registerProtocols(): void {
  if (registered) return;
  registered = true;
  setWorkerUrl('/vendor/maplibre-gl-worker.mjs');
  addProtocol('pmtiles', new Protocol().tile);
}

/** The operator's basemap (MAP_STYLE_URL), which the root layout puts in a meta tag. */
export function configuredStyleUrl(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[name="opendispatch-map-style"]')?.content || undefined;
}

function visibility(set: GeoJsonLayers): 'visible' | 'none' {
  return set.visible === false ? 'none' : 'visible';
}
