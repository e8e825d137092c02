import type { documentStatuses } from '@/domain/fleet';

export type DocumentStatus = (typeof documentStatuses)[number];

/** The outcomes of a document check, as the filter and the check form name them. */
export const documentStatusOptions: readonly { value: DocumentStatus; label: string }[] = [
  { value: 'pending', label: 'Pending check' },
  { value: 'verified', label: 'Verified' },
  { value: 'rejected', label: 'Rejected' },
];
