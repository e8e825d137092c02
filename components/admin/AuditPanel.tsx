'use client';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { AuditAction } from '@/domain/audit-actions';
import { useTRPC } from '../trpc';
import { LinkButton } from '../ui/LinkButton';
import { TableHead } from '../ui/TableHead';
import { auditActionList, auditLabels } from './audit-labels';
import { Field, FormError } from './Field';
import { formErrors } from './form-errors';
import { useFields } from './use-fields';
import { keepPage } from './use-table-state';

interface Filter {
  action?: AuditAction;
  actorId?: string;
  subjectId?: string;
}

const when = (at: number) =>
  new Date(at).toLocaleString('en-IN', { dateStyle: 'medium', timeStyle: 'medium', hour12: false });

/** The audit log, newest first, 100 a page; filter by action, actor or subject (click a name). */
export function AuditPanel() {
  const trpc = useTRPC();
  const { values: draft, setValues: setDraft, bind } = useFields({ action: '', actorId: '', subjectId: '' });
  const [filter, setFilter] = useState<Filter>({});
  // Keyset pages: the beforeId of each page we went through, to come back.
  const [pages, setPages] = useState<number[]>([]);
  const beforeId = pages.at(-1);
  const audit = useQuery(
    trpc.admin.audit.queryOptions({ ...filter, ...(beforeId ? { beforeId } : {}) }, keepPage),
  );
  const errors = formErrors(audit.error);

  function apply(next: Filter) {
    setFilter(next);
    setPages([]);
    setDraft({ action: next.action ?? '', actorId: next.actorId ?? '', subjectId: next.subjectId ?? '' });
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    apply({
      action: (draft.action || undefined) as AuditAction | undefined,
      actorId: draft.actorId.trim() || undefined,
      subjectId: draft.subjectId.trim() || undefined,
    });
  }

  return (
    <section className="card" data-testid="admin-audit">
      <h1>Audit log</h1>
      <form className="admin-form" onSubmit={submit} noValidate aria-label="Filter the audit log">
        <FormError errors={errors} />
        <label className="admin-field">
          <span>Action</span>
          <select
            name="action"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          >
            <option value="">Any action</option>
            {auditActionList.map((a) => (
              <option key={a} value={a}>
                {auditLabels[a]}
              </option>
            ))}
          </select>
        </label>
        <Field label="Actor id" errors={errors} {...bind('actorId')} />
        <Field label="Subject id" errors={errors} {...bind('subjectId')} />
        <div className="form-actions">
          <button type="submit" className="button primary">
            Filter
          </button>
          <button type="button" className="button" onClick={() => apply({})}>
            Clear
          </button>
        </div>
      </form>
      <div className="table-scroll">
        <table className="data admin-table" data-testid="audit-table" aria-busy={audit.isFetching}>
          <TableHead labels={['When', 'Action', 'By', 'Subject', 'Details']} />
          <tbody>
            {audit.data?.entries.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>{when(e.at)}</td>
                <td>{auditLabels[e.action as AuditAction] ?? e.action}</td>
                <td>
                  {e.actorId ? (
                    <LinkButton onClick={() => apply({ ...filter, actorId: e.actorId! })}>
                      {e.actorName ?? e.actorId.slice(0, 8)}
                    </LinkButton>
                  ) : (
                    'system'
                  )}{' '}
                  <small className="muted">{e.actorRole ?? ''}</small>
                  {e.ip ? <small className="muted"> · {e.ip}</small> : null}
                </td>
                <td>
                  {e.subjectId ? (
                    <LinkButton onClick={() => apply({ ...filter, subjectId: e.subjectId! })}>
                      {e.subjectType}: {e.subjectName ?? e.subjectId}
                    </LinkButton>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <pre className="audit-details">{JSON.stringify(e.details, null, 1)}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {audit.data?.entries.length === 0 ? <p className="muted">No entry matches.</p> : null}
      <nav className="pager" aria-label="Pages">
        <button
          type="button"
          className="button small"
          disabled={pages.length === 0}
          onClick={() => setPages(pages.slice(0, -1))}
        >
          ← Newer
        </button>
        <button
          type="button"
          className="button small"
          disabled={!audit.data?.nextBeforeId}
          onClick={() => audit.data?.nextBeforeId && setPages([...pages, audit.data.nextBeforeId])}
        >
          Older →
        </button>
      </nav>
    </section>
  );
}
