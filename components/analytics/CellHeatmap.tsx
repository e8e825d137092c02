'use client';
import { useMemo } from 'react';
import { cellFeature, collection } from '../map/geojson';
import { type MapLayer, useMapLibre } from '../map/use-maplibre';

export type HeatMetric = 'requests' | 'unserved' | 'avgSupply';

export interface HeatCell {
  cell: string;
  requests: number;
  unserved: number;
  avgSupply: number | null;
}

/** H3 res-7 cells shaded by the chosen metric, relative to the busiest cell; zero is not drawn. */
function cellsGeoJson(cells: HeatCell[], metric: HeatMetric): GeoJSON.FeatureCollection {
  const value = (c: HeatCell) => c[metric] ?? 0;
  const max = Math.max(0, ...cells.map(value));
  return collection(
    cells
      .filter((c) => value(c) > 0)
      .map((c) =>
        cellFeature(c.cell, { cell: c.cell, value: value(c), share: max > 0 ? value(c) / max : 0 }),
      ),
  );
}

/** The basemap with a fill layer of cells (client-only). */
export function CellHeatmap({ cells, metric }: { cells: HeatCell[]; metric: HeatMetric }) {
  const data = useMemo(() => cellsGeoJson(cells, metric), [cells, metric]);
  const { container } = useMapLibre({
    handle: '__odAnalyticsMap',
    zoom: 10.5,
    sources: [{ id: 'cells', data, layers: [cellsLayer] }],
  });
  return <div ref={container} className="heatmap" data-testid="heatmap" />;
}

const cellsLayer: MapLayer = {
  id: 'cells',
  type: 'fill',
  paint: {
    'fill-color': ['interpolate', ['linear'], ['get', 'share'], 0, '#fef3c7', 0.5, '#f97316', 1, '#991b1b'],
    'fill-opacity': 0.55,
    'fill-outline-color': '#7c2d12',
  },
};
