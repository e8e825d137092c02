'use client';
import { LinkButton } from '../ui/LinkButton';
import type { Column } from './DataTable';

type Person = { id: string; name: string; email: string; createdAt: number };

/** The name (which opens the person's detail) and e-mail columns of the people tables. */
export function nameColumns<Row extends Person>(open: (id: string) => void): Column<Row, 'name' | 'email'>[] {
  return [
    {
      label: 'Name',
      sort: 'name',
      cell: (p) => <LinkButton onClick={() => open(p.id)}>{p.name}</LinkButton>,
    },
    { label: 'E-mail', sort: 'email', cell: (p) => p.email },
  ];
}

/** The day an account was made, as admins in India read dates. */
export function createdColumn<Row extends Person>(label: string): Column<Row, 'createdAt'> {
  return { label, sort: 'createdAt', cell: (p) => new Date(p.createdAt).toLocaleDateString('en-IN') };
}
