'use client';
import type { ReactNode } from 'react';

export interface Column<Row, K extends string> {
  label: string;
  /** Sortable by the server under this key. */
  sort?: K;
  cell: (row: Row) => ReactNode;
}

interface DataTableProps<Row, K extends string> {
  testId: string;
  columns: Column<Row, K>[];
  rows: Row[] | undefined;
  rowKey: (row: Row) => string;
  sort: K;
  dir: 'asc' | 'desc';
  onSort: (key: K) => void;
  loading: boolean;
  error: string | null;
  empty: string;
}

/** A server-sorted table: clicking a sortable header sorts by it, again reverses. */
export function DataTable<Row, K extends string>(props: DataTableProps<Row, K>) {
  const { columns, rows, sort, dir } = props;
  return (
    <div className="table-scroll">
      <table className="data admin-table" data-testid={props.testId} aria-busy={props.loading}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.label}
                scope="col"
                aria-sort={
                  c.sort && c.sort === sort ? (dir === 'asc' ? 'ascending' : 'descending') : undefined
                }
              >
                {c.sort ? (
                  <button type="button" className="sort-button" onClick={() => props.onSort(c.sort!)}>
                    {c.label}
                    <span aria-hidden="true">{c.sort === sort ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                ) : (
                  c.label
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows?.map((row) => (
            <tr key={props.rowKey(row)} data-row-key={props.rowKey(row)}>
              {columns.map((c) => (
                <td key={c.label}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {props.error ? <p className="error">{props.error}</p> : null}
      {rows && rows.length === 0 ? <p className="muted">{props.empty}</p> : null}
      {props.loading && !rows ? <p className="muted">Loading…</p> : null}
    </div>
  );
}

interface PagerProps {
  page: number;
  pageSize: number;
  total: number | undefined;
  onPage: (page: number) => void;
}

export function Pager({ page, pageSize, total, onPage }: PagerProps) {
  const pages = total === undefined ? 1 : Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="button small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ← Previous
      </button>
      <span data-testid="pager-status">
        Page {page} of {pages}
        {total === undefined ? '' : ` · ${total} in all`}
      </span>
      <button
        type="button"
        className="button small"
        disabled={page >= pages}
        onClick={() => onPage(page + 1)}
      >
        Next →
      </button>
    </nav>
  );
}

export interface PagedTableProps<Row, K extends string> {
  testId: string;
  columns: Column<Row, K>[];
  rowKey: (row: Row) => string;
  empty: string;
  /** The table's search, sort and page (`useTableState`). */
  table: {
    state: { sort: K; dir: 'asc' | 'desc'; page: number; pageSize: number };
    sortBy: (key: K) => void;
    setPage: (page: number) => void;
  };
  /** The list query of one page: its rows and how many match in all. */
  list: { data?: { rows: Row[]; total: number }; isFetching: boolean; error: { message: string } | null };
}

/** A server-sorted, paged admin table wired to its table state and list query. */
export function PagedTable<Row, K extends string>({ table, list, ...props }: PagedTableProps<Row, K>) {
  return (
    <>
      <DataTable
        {...props}
        rows={list.data?.rows}
        sort={table.state.sort}
        dir={table.state.dir}
        onSort={table.sortBy}
        loading={list.isFetching}
        error={list.error ? list.error.message : null}
      />
      <Pager
        page={table.state.page}
        pageSize={table.state.pageSize}
        total={list.data?.total}
        onPage={table.setPage}
      />
    </>
  );
}

export function SearchBox({
  value,
  onChange,
  placeholder,
}: {
  value: string;
  onChange: (v: string) => void;
  placeholder: string;
}) {
  return (
    <input
      type="search"
      className="search-box"
      aria-label="Search"
      placeholder={placeholder}
      value={value}
      maxLength={100}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
