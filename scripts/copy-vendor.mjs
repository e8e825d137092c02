// Copies browser files that must be served as-is from public/ (MapLibre's worker runs in a
// Web Worker and is loaded by URL). Run before every build; the copies are not committed.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vendor = join(root, 'public', 'vendor');
mkdirSync(vendor, { recursive: true });
copyFileSync(
  join(root, 'node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs'),
  join(vendor, 'maplibre-gl-worker.mjs'),
);
