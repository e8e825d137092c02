import type { RateLimitName } from '@/domain/rate-limits';
import type { Role } from '@/domain/roles';
import type { InputOf, OutputOf, ProcedurePath } from './procedure-types';

/** Who may call a procedure: anyone (no session needed), any signed-in user, or these roles. */
export type Access = 'anyone' | 'signed-in' | readonly Role[];

/**
 * A refusal the procedure itself can answer. 401, 403, 429 and the generic 503 follow from
 * `access` and `limits` (the router's middlewares), so the generator adds those; entries here are
 * what the use case decides: bad fields, missing or foreign records, conflicts.
 */
export interface ErrorCase {
  status: 400 | 404 | 409 | 422 | 503;
  /** When it happens, in the caller's terms. */
  when: string;
  /** The input field named in `error.field` (dotted path), when one is to blame. */
  field?: string;
}

/** A procedure without input takes no example input. */
type ExampleOf<P extends ProcedurePath> = (undefined extends InputOf<P>
  ? { input?: undefined }
  : { input: InputOf<P> }) & { output: OutputOf<P> };

export interface ProcedureDoc<P extends ProcedurePath> {
  summary: string;
  description: string;
  access: Access;
  /** Typed against the router: an example that drifts from the real input or output fails tsc. */
  example: ExampleOf<P>;
  errors: readonly ErrorCase[];
  /**
   * Rate limits this procedure counts against, when not the default (queries: `query`,
   * mutations: `mutation`, for any signed-in caller). Mirrors init.ts `procedureLimits` and the
   * limits a procedure enforces itself.
   */
  limits?: readonly RateLimitName[];
}

export type AllProcedureDocs = { [P in ProcedurePath]: ProcedureDoc<P> };

/** The entries of one router (or one procedure) by path prefix: each docs file covers one. */
export type DocsFor<Prefix extends string> = {
  [P in keyof AllProcedureDocs as P extends Prefix | `${Prefix}.${string}` ? P : never]: AllProcedureDocs[P];
};

export const invalid = (field: string, when: string): ErrorCase => ({ status: 400, field, when });
export const notFound = (when: string, field?: string): ErrorCase => ({ status: 404, when, field });
export const conflict = (when: string, field?: string): ErrorCase => ({ status: 409, when, field });
export const unprocessable = (when: string, field?: string): ErrorCase => ({ status: 422, when, field });
