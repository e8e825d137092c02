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
