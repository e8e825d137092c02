import type { AuditAction } from '@/domain/audit-actions';

/** Every audited action in words; a Record, so a new action fails the type check until it has one. */
export const auditLabels: Record<AuditAction, string> = {
  'auth.sign_in': 'Signed in',
  'auth.sign_in_failed': 'Sign-in failed',
  'auth.sign_in_throttled': 'Sign-in throttled',
  'auth.sign_out': 'Signed out',
  'user.signed_up': 'Signed up',
  'user.role_changed': 'Role changed',
  'user.suspended': 'Suspended',
  'user.reinstated': 'Reinstated',
  'user.password_changed': 'Password changed',
  'settings.changed': 'Settings changed',
  'fare_table.changed': 'Fare changed',
  'vehicle_type.changed': 'Vehicle type changed',
  'vehicle.changed': 'Vehicle changed',
  'driver.changed': 'Driver changed',
  'driver_history.viewed': "Driver's history viewed",
  'pii.viewed': 'Personal data viewed',
};

export const auditActionList = Object.keys(auditLabels) as AuditAction[];
