import { type AnyColumn, and, asc, desc, ilike, or, type SQL } from 'drizzle-orm';
import type { PgSelect } from 'drizzle-orm/pg-core';
import { z } from 'zod';

/** Every admin table is paged by offset, at most this many rows a page: bounded work per request. */
export const maxPageSize = 100;
/** Deep offsets cost a scan each; nobody pages past this in a table meant for people. */
export const maxPage = 1_000;
export const maxSearchLength = 100;

/** Search, sort (one of `sortKeys`, the first by default), direction and page: one schema per table. */
export function listInput<const K extends readonly [string, ...string[]]>(sortKeys: K) {
  return z.object({
    search: z.string().trim().max(maxSearchLength).default(''),
    sort: z.enum(sortKeys).default(sortKeys[0] as K[0]),
    dir: z.enum(['asc', 'desc']).default('asc'),
    page: z.int().min(1).max(maxPage).default(1),
    pageSize: z.int().min(1).max(maxPageSize).default(25),
  });
}

export interface ListParams<K extends string> {
  search: string;
  sort: K;
  dir: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A LIKE pattern matching `search` anywhere, with the user's % and _ taken literally. */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The WHERE of a list: every given filter (an absent one is skipped), and, when there is a search,
 * any of `searchColumns` containing it. No condition at all: undefined, every row.
 */
export function listFilter(
  search: string,
  searchColumns: AnyColumn[],
  ...filters: (SQL | undefined)[]
): SQL | undefined {
  const p = containsPattern(search);
  return and(...filters, search ? or(...searchColumns.map((c) => ilike(c, p))) : undefined);
}

/**
 * One page of `query`, sorted by the chosen column, then by `id`: ties are broken the same way on
 * every request, so a row never shows on two pages.
 */
export function onePage<Q extends PgSelect, K extends string>(
  query: Q,
  input: ListParams<K>,
  sortColumns: Record<K, AnyColumn>,
  id: AnyColumn,
) {
  const order = input.dir === 'asc' ? asc : desc;
  return query
    .orderBy(order(sortColumns[input.sort]), asc(id))
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize);
}

/** The answer of a list: its page of rows, and how many rows match in all. */
export function pageOf<T>(input: ListParams<string>, rows: T[], total: { n: number } | undefined): Page<T> {
  return { rows, total: total?.n ?? 0, page: input.page, pageSize: input.pageSize };
}
