import type { RouterOutputs } from '../trpc';

export type DocumentStatus = RouterOutputs['admin']['drivers']['list']['rows'][number]['documentStatus'];

/** The outcomes of a document check, as the filter and the check form name them. */
export const documentStatusOptions: readonly { value: DocumentStatus; label: string }[] = [
  { value: 'pending', label: 'Pending check' },
  { value: 'verified', label: 'Verified' },
  { value: 'rejected', label: 'Rejected' },
];
