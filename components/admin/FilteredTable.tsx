'use client';
import { PagedTable, type PagedTableProps, SearchBox } from './DataTable';
import { FilterSelect, type FilterSelectProps } from './FilterSelect';

interface FilteredTableProps<Row extends { id: string }, K extends string, V extends string>
  extends Omit<PagedTableProps<Row, K>, 'rowKey'> {
  table: PagedTableProps<Row, K>['table'] & { typed: string; setTyped: (typed: string) => void };
  /** What the search box says it searches: "Search name or e-mail". */
  searchPlaceholder: string;
  filter: FilterSelectProps<V>;
}

/** The list of an admin panel: a search box and one filter above its paged table, rows keyed by id. */
export function FilteredTable<Row extends { id: string }, K extends string, V extends string>({
  searchPlaceholder,
  filter,
  ...table
}: FilteredTableProps<Row, K, V>) {
  return (
    <>
      <div className="admin-toolbar">
        <SearchBox
          value={table.table.typed}
          onChange={table.table.setTyped}
          placeholder={searchPlaceholder}
        />
        <FilterSelect {...filter} />
      </div>
      <PagedTable rowKey={(row) => row.id} {...table} />
    </>
  );
}
