'use client';
import { keepPreviousData } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

export interface TableState<K extends string> {
  search: string;
  sort: K;
  dir: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

/**
 * Query options for every admin table: while the next search, sort or page loads, the rows shown
 * stay those of the last answer instead of blanking. Otherwise a detail panel opened beside the
 * table (found among its rows) would close and reopen, losing what it held, such as a revealed
 * phone number, on every keystroke of a search.
 */
export const keepPage = { placeholderData: keepPreviousData } as const;

/** Rows a page in every admin table (the server allows at most 100). */
export const defaultPageSize = 20;

/**
 * Search, sort and page of one table. The search box updates at once; the query waits until
 * typing pauses (300 ms) so each keystroke is not a request. A new search or sort starts at page 1.
 */
export function useTableState<K extends string>(initialSort: K, initialDir: 'asc' | 'desc' = 'asc') {
  const [typed, setTyped] = useState('');
  const [state, setState] = useState<TableState<K>>({
    search: '',
    sort: initialSort,
    dir: initialDir,
    page: 1,
    pageSize: defaultPageSize,
  });
  useEffect(() => {
    const timer = setTimeout(
      () => setState((s) => (s.search === typed.trim() ? s : { ...s, search: typed.trim(), page: 1 })),
      300,
    );
    return () => clearTimeout(timer);
  }, [typed]);
  return {
    state,
    typed,
    setTyped,
    sortBy: (sort: K) =>
      setState((s) => ({ ...s, sort, dir: s.sort === sort && s.dir === 'asc' ? 'desc' : 'asc', page: 1 })),
    setPage: (page: number) => setState((s) => ({ ...s, page })),
  };
}
