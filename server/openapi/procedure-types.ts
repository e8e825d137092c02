import type {
  AnyProcedure,
  inferProcedureInput,
  inferTransformedProcedureOutput,
  TRPCRouterRecord,
} from '@trpc/server';
import type { AppRouter } from '../trpc/routers/app';

/**
 * Type-level view of the router, so the docs registry is checked by the compiler: a procedure
 * without an entry, an entry for a procedure that is gone, or an example that no longer matches
 * the procedure's input or (JSON-serialised) output is a type error, not a stale page.
 */
type Root = AppRouter['_def']['record'];
type ClientTypes = AppRouter['_def']['_config']['$types'];

type PathsOf<R, Prefix extends string = ''> = {
  [K in keyof R & string]: R[K] extends AnyProcedure
    ? `${Prefix}${K}`
    : R[K] extends TRPCRouterRecord
      ? PathsOf<R[K], `${Prefix}${K}.`>
      : never;
}[keyof R & string];

type ProcedureAt<R, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof R
    ? ProcedureAt<R[Head], Rest>
    : never
  : P extends keyof R
    ? R[P]
    : never;

/** Every procedure's dotted path, e.g. `booking.create`. */
export type ProcedurePath = PathsOf<Root>;

export type InputOf<P extends ProcedurePath> =
  ProcedureAt<Root, P> extends infer T extends AnyProcedure ? inferProcedureInput<T> : never;

/** The output as it crosses the wire (no transformer: plain JSON, so dates are strings). */
export type OutputOf<P extends ProcedurePath> =
  ProcedureAt<Root, P> extends infer T extends AnyProcedure
    ? inferTransformedProcedureOutput<ClientTypes, T>
    : never;
