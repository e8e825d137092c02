// The list lives in domain/ because the admin UI labels and filters by it, and UI code never
// imports server code.
/** What is audited. Names are `subject.verb`, stable: dashboards and alerts filter on them. */
export const auditActions = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_in_throttled',
  'auth.sign_out',
  'user.signed_up',
  'user.role_changed',
  'user.suspended',
  'user.reinstated',
  'user.password_changed',
  'settings.changed',
  'fare_table.changed',
  'vehicle_type.changed',
  'vehicle.changed',
  'driver.changed',
  'driver_history.viewed',
  'pii.viewed',
] as const;
export type AuditAction = (typeof auditActions)[number];
