import { TRPCClientError } from '@trpc/client';

export interface HumanError {
  message: string;
  /** The input the server blamed (`pickup`, `scheduledFor`, …), to show the message beside it. */
  field: string | null;
  /** The server's code (CONFLICT, BAD_REQUEST, …), or NETWORK when the request never got an answer. */
  code: string;
}

/**
 * What to tell a person about a failed request. The server's messages are written for people
 * (tRPC errors carry them); a request that never got an answer says so, and nothing else
 * leaks (a stack, "Failed to fetch").
 */
export function humanError(error: unknown): HumanError {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; field?: string | null } | undefined;
    if (data?.code) return { message: error.message, field: data.field ?? null, code: data.code };
    return {
      message: 'No answer from the server: check your connection and try again',
      field: null,
      code: 'NETWORK',
    };
  }
  return { message: 'Something went wrong; please try again', field: null, code: 'UNKNOWN' };
}
