import type { LatLng } from './geo';

/** A named place riders can pick without knowing its coordinates. */
export interface CityPlace extends LatLng {
  id: string;
  label: string;
}

/** How the city's money is written. Amounts are integer minor units of `currency` (domain/money). */
export interface CityMoney {
  /** ISO 4217: quotes, bookings and receipts are in it. */
  currency: string;
  /** The BCP 47 locale amounts are formatted in. */
  locale: string;
  /** What a hundredth of the currency is called, for texts about minor units. */
  minorUnit: string;
}

/**
 * The demo city, as data: where it is, the OpenStreetMap extract its basemap and roads come
 * from (domain/map, domain/roads), its places and its money.
 */
export interface CityConfig {
  id: string;
  name: string;
  center: LatLng;
  timeZone: string;
  /** The OSM tiles in `@mapbox/mvt-fixtures` (real-world/<fixture>) and the area they cover. */
  basemap: { fixture: string; bounds: readonly [west: number, south: number, east: number, north: number] };
  /** Shown on every map: the basemap is OpenStreetMap data under the ODbL. */
  attribution: string;
  places: readonly CityPlace[];
  money: CityMoney;
}

export const demoCity: CityConfig = {
  id: 'mvd',
  name: 'Montevideo',
  center: { lat: -34.895, lng: -56.165 },
  timeZone: 'America/Montevideo',
  basemap: { fixture: 'osm-qa-montevideo', bounds: [-56.338, -34.958, -55.986, -34.814] },
  attribution:
    '© <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noreferrer">OpenStreetMap</a> contributors (ODbL)',
  // Real places, at the positions OpenStreetMap gives them.
  places: [
    { id: 'tres-cruces', label: 'Terminal Tres Cruces', lat: -34.89292, lng: -56.16576 },
    { id: 'plaza-independencia', label: 'Plaza Independencia', lat: -34.90604, lng: -56.19904 },
    { id: 'mercado-del-puerto', label: 'Mercado del Puerto', lat: -34.90528, lng: -56.21168 },
    { id: 'clinicas', label: 'Hospital de Clínicas', lat: -34.89121, lng: -56.15106 },
    { id: 'parque-rodo', label: 'Parque Rodó', lat: -34.91008, lng: -56.16978 },
    { id: 'udelar', label: 'Universidad de la República', lat: -34.90105, lng: -56.17341 },
    { id: 'centenario', label: 'Estadio Centenario', lat: -34.89332, lng: -56.15247 },
    { id: 'montevideo-shopping', label: 'Montevideo Shopping', lat: -34.90195, lng: -56.1366 },
    { id: 'portones', label: 'Portones Shopping', lat: -34.87989, lng: -56.08038 },
    { id: 'parque-rivera', label: 'Parque Rivera', lat: -34.87481, lng: -56.09262 },
    { id: 'jardin-botanico', label: 'Jardín Botánico', lat: -34.85717, lng: -56.20127 },
  ],
  money: {
    currency: 'UYU',
    // The UI is in English: es-UY writes "$ 1.234" (a bare dollar sign, a dot for thousands),
    // which beside English text reads as dollars and cents. English has no Uruguayan data, so
    // en-UY formats as en: "UYU 1,234" (Node 20 / ICU 78, Chromium 156).
    locale: 'en-UY',
    minorUnit: 'centésimos',
  },
};
