import { conflict, type DocsFor, invalid, notFound } from '../doc-model';
import { firstPageOf, ids, minutes } from './examples';

const van = { id: 'van', name: 'Van', seats: 7, sortOrder: 5, active: true };
const fareTable = { baseFare: 13000, perKm: 7000, perMinute: 700, minimumFare: 26000, bookingFee: 2000 };
const vehicleFields = {
  plate: 'KA01AB1234',
  vehicleTypeId: 'economy',
  make: 'Maruti',
  model: 'Dzire',
  color: 'White',
  capacity: 4,
};
const vehicle = {
  id: ids.vehicle,
  ...vehicleFields,
  status: 'active' as const,
  driverId: null,
  createdAt: minutes(-600),
};
const admin = ['admin'] as const;
const unknownVehicle = notFound('no such vehicle', 'vehicleId');

/** Vehicle types (with their fare tables) and vehicles. Each change is audited. */
export const adminFleetDocs: DocsFor<'admin.vehicleTypes' | 'admin.vehicles'> = {
  'admin.vehicleTypes.list': {
    summary: 'Vehicle types with fares',
    description: 'Every vehicle type with its fare table and how many vehicles of it are in service.',
    access: admin,
    example: {
      output: [
        {
          id: 'economy',
          name: 'Economy',
          seats: 4,
          sortOrder: 1,
          active: true,
          vehiclesInService: 38,
          fare: {
            baseFare: 6500,
            perKm: 4000,
            perMinute: 400,
            minimumFare: 13000,
            bookingFee: 1500,
            updatedAt: minutes(-1440),
          },
        },
      ],
    },
    errors: [],
  },
  'admin.vehicleTypes.create': {
    summary: 'Add a vehicle type',
    description:
      'A new vehicle type with its fare table (minor currency units), bookable at once. The id is ' +
      'permanent: lower case, 2–40 characters.',
    access: admin,
    example: { input: { id: 'van', name: 'Van', seats: 7, fare: fareTable }, output: van },
    errors: [
      invalid('id', 'not lower-case letters, digits, - or _ starting with a letter'),
      invalid('fare.baseFare', 'a fare amount is negative or too large'),
      conflict('a vehicle type with this id already exists', 'id'),
      conflict('another vehicle type already has this name', 'name'),
    ],
  },
  'admin.vehicleTypes.rename': {
    summary: 'Rename a vehicle type',
    description: 'The display name changes; the id, and every trip that names it, stay.',
    access: admin,
    example: { input: { id: 'van', name: 'Family van' }, output: { ...van, name: 'Family van' } },
    errors: [
      invalid('name', 'empty or longer than 40 characters'),
      notFound('no such vehicle type', 'id'),
      conflict('another vehicle type already has this name', 'name'),
    ],
  },
  'admin.vehicleTypes.setSeats': {
    summary: 'Set the seats of a vehicle type',
    description: 'Refused while vehicles of this type seat fewer than the new number.',
    access: admin,
    example: { input: { id: 'van', seats: 6 }, output: { ...van, seats: 6 } },
    errors: [
      invalid('seats', 'outside 1…20'),
      notFound('no such vehicle type', 'id'),
      conflict('vehicles of this type seat fewer', 'seats'),
    ],
  },
  'admin.vehicleTypes.setActive': {
    summary: 'Retire or reinstate a vehicle type',
    description:
      'A retired type is no longer quoted or bookable; trips already booked keep it. The last active ' +
      'type cannot be retired.',
    access: admin,
    example: { input: { id: 'van', active: false }, output: { ...van, active: false } },
    errors: [
      invalid('active', 'not a boolean'),
      notFound('no such vehicle type', 'id'),
      conflict('this is the last active vehicle type', 'id'),
    ],
  },
  'admin.vehicles.list': {
    summary: 'Vehicles',
    description: 'One page of vehicles, searchable by plate, make or model, sortable and filtered by status.',
    access: admin,
    example: {
      input: { search: 'KA01', sort: 'plate', dir: 'asc', page: 1, pageSize: 25, status: 'active' },
      output: firstPageOf({
        ...vehicle,
        vehicleType: 'Economy',
        driverId: ids.driver,
        driverName: 'Ravi Kumar',
        availability: 'available',
      }),
    },
    errors: [invalid('pageSize', 'outside 1…100 (`page`: 1…1000)')],
  },
  'admin.vehicles.create': {
    summary: 'Register a vehicle',
    description: 'A new active vehicle, not yet assigned to a driver. Plates are unique.',
    access: admin,
    example: { input: vehicleFields, output: vehicle },
    errors: [
      invalid('vehicleTypeId', 'no such vehicle type, or it is retired'),
      invalid('capacity', 'fewer seats than its vehicle type has'),
      conflict('the plate is already registered', 'plate'),
    ],
  },
  'admin.vehicles.edit': {
    summary: 'Edit a vehicle',
    description: "Replaces a vehicle's details (plate, type, make, model, colour, capacity).",
    access: admin,
    example: {
      input: { ...vehicleFields, color: 'Silver', vehicleId: ids.vehicle },
      output: { ...vehicle, color: 'Silver' },
    },
    errors: [
      invalid('vehicleTypeId', 'no such vehicle type, or it is retired'),
      invalid('capacity', 'fewer seats than its vehicle type has'),
      unknownVehicle,
      conflict('another vehicle has this plate', 'plate'),
      conflict('the type changes while its driver is on duty', 'vehicleTypeId'),
    ],
  },
  'admin.vehicles.setStatus': {
    summary: 'Put a vehicle in service, in maintenance or retire it',
    description: 'A vehicle out of service cannot take its driver on duty.',
    access: admin,
    example: {
      input: { vehicleId: ids.vehicle, status: 'maintenance' },
      output: { ...vehicle, status: 'maintenance' },
    },
    errors: [
      invalid('status', 'not one of active, maintenance, retired'),
      unknownVehicle,
      conflict('its driver is on duty (taking it out of service waits until they are offline)', 'status'),
    ],
  },
  'admin.vehicles.assign': {
    summary: 'Assign a vehicle to a driver',
    description: 'A driver drives at most one vehicle; unassign the current one first.',
    access: admin,
    example: {
      input: { vehicleId: ids.vehicle, driverId: ids.driver },
      output: { ...vehicle, driverId: ids.driver },
    },
    errors: [
      invalid('driverId', 'not a UUID'),
      unknownVehicle,
      notFound('no such driver', 'driverId'),
      conflict('the vehicle is retired or has another driver', 'vehicleId'),
      conflict('the driver already drives another vehicle', 'driverId'),
    ],
  },
  'admin.vehicles.unassign': {
    summary: 'Unassign a vehicle',
    description: 'The vehicle no longer has a driver. Refused while its driver is on duty.',
    access: admin,
    example: { input: { vehicleId: ids.vehicle }, output: vehicle },
    errors: [
      invalid('vehicleId', 'not a UUID'),
      unknownVehicle,
      conflict('its driver is on duty', 'vehicleId'),
    ],
  },
};
