/** Deterministic demo data: the same accounts, names and plates on every machine. */

export const demoPassword = 'demo1234';

export const vehicleTypeRows = [
  { id: 'economy', name: 'Economy', seats: 4, sortOrder: 1 },
  { id: 'comfort', name: 'Comfort', seats: 4, sortOrder: 2 },
  { id: 'xl', name: 'XL', seats: 6, sortOrder: 3 },
  { id: 'moto', name: 'Moto', seats: 1, sortOrder: 4 },
] as const;

/**
 * Fares in centésimos (minor units of the demo city's currency, UYU), near what a ride-hailing
 * app charges in Montevideo: economy UYU 65 base + UYU 40/km + UYU 4/min, at least UYU 130, plus a
 * UYU 15 booking fee.
 */
export const fareTableRows = [
  {
    vehicleTypeId: 'economy',
    baseFare: 6_500,
    perKm: 4_000,
    perMinute: 400,
    minimumFare: 13_000,
    bookingFee: 1_500,
  },
  {
    vehicleTypeId: 'comfort',
    baseFare: 9_000,
    perKm: 5_200,
    perMinute: 550,
    minimumFare: 18_000,
    bookingFee: 1_500,
  },
  {
    vehicleTypeId: 'xl',
    baseFare: 12_000,
    perKm: 6_500,
    perMinute: 650,
    minimumFare: 24_000,
    bookingFee: 2_000,
  },
  {
    vehicleTypeId: 'moto',
    baseFare: 3_500,
    perKm: 2_000,
    perMinute: 250,
    minimumFare: 7_000,
    bookingFee: 1_000,
  },
] as const;

export interface DemoAccount {
  email: string;
  name: string;
  role: 'rider' | 'driver' | 'dispatcher' | 'admin';
}

/** The logins printed by `npm run up` and listed in the README. */
export const demoAccounts: DemoAccount[] = [
  { email: 'admin@demo.test', name: 'Asha Admin', role: 'admin' },
  { email: 'dispatcher@demo.test', name: 'Dev Dispatcher', role: 'dispatcher' },
  { email: 'rider@demo.test', name: 'Riya Rider', role: 'rider' },
  { email: 'rider2@demo.test', name: 'Rahul Rider', role: 'rider' },
  { email: 'driver@demo.test', name: 'Dinesh Driver', role: 'driver' },
  { email: 'driver2@demo.test', name: 'Divya Driver', role: 'driver' },
];

const firstNames = [
  'Arjun',
  'Kavya',
  'Ravi',
  'Meera',
  'Suresh',
  'Lakshmi',
  'Imran',
  'Priya',
  'Kiran',
  'Nisha',
  'Vijay',
  'Anita',
];
const lastNames = ['Rao', 'Reddy', 'Khan', 'Iyer', 'Gowda', 'Shetty', 'Nair', 'Das', 'Patil', 'Menon'];
const makes = [
  ['Maruti', 'Dzire', 'economy'],
  ['Hyundai', 'Aura', 'economy'],
  ['Honda', 'City', 'comfort'],
  ['Toyota', 'Innova', 'xl'],
  ['Bajaj', 'Pulsar', 'moto'],
] as const;
const colors = ['White', 'Silver', 'Grey', 'Blue', 'Red', 'Black'];

export function simDriverEmail(i: number): string {
  return `sim-driver-${String(i + 1).padStart(3, '0')}@demo.test`;
}

export function simRiderEmail(i: number): string {
  return `sim-rider-${String(i + 1).padStart(3, '0')}@demo.test`;
}

export function simRiderAccount(i: number): DemoAccount {
  return {
    email: simRiderEmail(i),
    name: `${firstNames[(i * 3 + 1) % firstNames.length]} ${lastNames[(i * 3) % lastNames.length]}`,
    role: 'rider',
  };
}

export function demoVehicle(i: number) {
  const [make, model, vehicleTypeId] = makes[i % makes.length]!;
  const seats = vehicleTypeRows.find((t) => t.id === vehicleTypeId)!.seats;
  return {
    plate: `KA-01-${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + (((i / 26) | 0) % 26))}-${String(1000 + i).slice(-4)}`,
    vehicleTypeId,
    make,
    model,
    color: colors[i % colors.length]!,
    capacity: seats,
  };
}

export function simDriverAccount(i: number): DemoAccount {
  return {
    email: simDriverEmail(i),
    name: `${firstNames[i % firstNames.length]} ${lastNames[(i * 7) % lastNames.length]}`,
    role: 'driver',
  };
}
