// Copies browser files that must be served as-is from public/ (MapLibre's worker runs in a
// Web Worker and is loaded by URL; the API reference pages load Swagger UI's and ReDoc's
// standalone bundles from here, never from a CDN). Run before every build; the copies are not
// committed.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vendor = join(root, 'public', 'vendor');

/** [package file, destination under public/vendor] */
const files = [
  ['maplibre-gl/dist/maplibre-gl-worker.mjs', 'maplibre-gl-worker.mjs'],
  ['swagger-ui-dist/swagger-ui-bundle.js', 'swagger-ui/swagger-ui-bundle.js'],
  ['swagger-ui-dist/swagger-ui-bundle.js.LICENSE.txt', 'swagger-ui/swagger-ui-bundle.js.LICENSE.txt'],
  ['swagger-ui-dist/swagger-ui.css', 'swagger-ui/swagger-ui.css'],
  ['redoc/bundles/redoc.standalone.js', 'redoc/redoc.standalone.js'],
  ['redoc/bundles/redoc.standalone.js.LICENSE.txt', 'redoc/redoc.standalone.js.LICENSE.txt'],
];

for (const [from, to] of files) {
  mkdirSync(dirname(join(vendor, to)), { recursive: true });
  copyFileSync(join(root, 'node_modules', from), join(vendor, to));
}

// ReDoc's sidebar footer loads its logo from Redocly's CDN, which the page CSP (img-src 'self')
// refuses and which would tell a third party who reads our docs. An empty data: image fails to
// decode instead, and ReDoc then hides the logo (its own onError). tests/e2e/api-docs.spec.ts
// fails if any request leaves the site.
const redoc = join(vendor, 'redoc/redoc.standalone.js');
const logo = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
writeFileSync(redoc, readFileSync(redoc, 'utf8').replaceAll(logo, 'data:,'));
