'use client';
import { gridDisk, isValidCell, latLngToCell } from 'h3-js';
import { useEffect, useMemo } from 'react';
import { cellFeature, collection } from '@/components/map/geojson';
import { type MapLayer, useMapLibre } from '@/components/map/use-maplibre';
import { demoCity } from '@/domain/city';
import { serviceAreaResolution } from '@/domain/service-area';

/** Cells drawn as faint outlines around the city, so admins see where a click will land. */
const guideRings = 14;

function cellsGeoJson(cells: Iterable<string>): GeoJSON.FeatureCollection {
  return collection(
    [...cells].filter((cell) => isValidCell(cell)).map((cell) => cellFeature(cell, { cell })),
  );
}

/** The basemap: selected res-7 cells filled; a click toggles the cell under it. */
export function ServiceAreaMap({ cells, onToggle }: { cells: string[]; onToggle: (cell: string) => void }) {
  const guide = useMemo(
    () =>
      cellsGeoJson(
        gridDisk(latLngToCell(demoCity.center.lat, demoCity.center.lng, serviceAreaResolution), guideRings),
      ),
    [],
  );
  const area = useMemo(() => cellsGeoJson(cells), [cells]);
  const { container } = useMapLibre({
    handle: '__odAreaMap',
    zoom: 9.6,
    sources: [
      { id: 'guide', data: guide, layers: [guideLayer] },
      { id: 'area', data: area, layers: [areaLayer, areaEdgeLayer] },
    ],
    onClick: (e) => onToggle(latLngToCell(e.lngLat.lat, e.lngLat.lng, serviceAreaResolution)),
  });

  useEffect(() => {
    if (container.current) container.current.dataset.cells = String(cells.length);
  }, [container, cells]);

  return (
    <div className="area-map">
      <div ref={container} style={{ position: 'absolute', inset: 0 }} data-testid="area-map" />
    </div>
  );
}

const guideLayer: MapLayer = {
  id: 'guide',
  type: 'line',
  paint: { 'line-color': '#94a3b8', 'line-width': 0.5 },
};
const areaLayer: MapLayer = {
  id: 'area',
  type: 'fill',
  paint: { 'fill-color': '#2563eb', 'fill-opacity': 0.35 },
};
const areaEdgeLayer: MapLayer = {
  id: 'area-edge',
  type: 'line',
  paint: { 'line-color': '#1d4ed8', 'line-width': 1 },
};
