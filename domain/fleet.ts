/** A vehicle in service, in the workshop, or retired for good (kept: old trips name it). */
export const vehicleStatuses = ['active', 'maintenance', 'retired'] as const;

/** Onboarding: a driver goes on duty only once an admin verified their documents. */
export const documentStatuses = ['pending', 'verified', 'rejected'] as const;
