'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTRPC } from '../trpc';
import { ConfirmButton } from './ConfirmButton';
import { FormError } from './Field';
import { formErrors } from './form-errors';
import { ServiceAreaMap } from './ServiceAreaMap';
import { useRefreshAdmin } from './use-admin-cache';

/** "cells.3" → the 4th cell as sent, so the message can name it. */
function cellErrors(fields: Record<string, string>, sent: string[]): string[] {
  return Object.entries(fields)
    .filter(([f]) => f === 'cells' || f.startsWith('cells.'))
    .map(([f, message]) => {
      const i = Number(f.split('.')[1]);
      return Number.isInteger(i) ? `Cell ${i + 1} (${sent[i]}): ${message}` : message;
    });
}

/**
 * The service area as H3 res-7 cells: click the map to add or remove a cell, or paste a list.
 * Nothing changes until saved; the next quote is checked against what is saved.
 */
export function ServiceAreaPanel() {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const settings = useQuery(trpc.admin.settings.get.queryOptions());
  const [draft, setDraft] = useState<string[] | null>(null);
  const [pasted, setPasted] = useState('');
  const [sent, setSent] = useState<string[]>([]);
  const save = useMutation(
    trpc.admin.settings.setServiceArea.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        void refresh();
      },
    }),
  );
  const saved = settings.data?.serviceAreaCells;
  const cells = draft ?? saved ?? [];
  const changes = useMemo(() => {
    const before = new Set(saved ?? []);
    const after = new Set(cells);
    return {
      added: cells.filter((c) => !before.has(c)).length,
      removed: [...before].filter((c) => !after.has(c)).length,
    };
  }, [saved, cells]);
  const errors = formErrors(save.error);
  const problems = cellErrors(errors.fields, sent);
  const max = settings.data?.limits.maxServiceAreaCells;

  function toggle(cell: string) {
    save.reset();
    setDraft((d) => {
      const current = d ?? saved ?? [];
      return current.includes(cell) ? current.filter((c) => c !== cell) : [...current, cell];
    });
  }

  function submit() {
    setSent(cells);
    save.mutate({ cells });
  }

  return (
    <section className="admin-columns" data-testid="admin-service-area">
      <div className="card">
        <h1>Service area</h1>
        <p className="muted">
          Click a hexagon to add it to the area or take it out. Riders can be picked up and dropped off only
          inside.
        </p>
        {settings.data ? <ServiceAreaMap cells={cells} onToggle={toggle} /> : <p>Loading…</p>}
      </div>
      <aside className="card">
        <p data-testid="area-count">
          <strong>{cells.length}</strong> cells{max ? ` (at most ${max.toLocaleString('en-IN')})` : ''}
          {draft ? ` · unsaved: +${changes.added} −${changes.removed}` : ' · saved'}
        </p>
        <FormError errors={errors} />
        {problems.length > 0 ? (
          <ul className="field-error" role="alert" data-field="cells">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        <div className="row-actions">
          <ConfirmButton
            label="Save area"
            question={`Save ${cells.length} cells (+${changes.added} −${changes.removed})? The next quote is checked against it.`}
            danger={changes.removed > 0}
            disabled={!draft || save.isPending}
            onConfirm={submit}
          />
          <button type="button" className="button small" disabled={!draft} onClick={() => setDraft(null)}>
            Revert
          </button>
        </div>
        <h2>Cells as a list</h2>
        <label className="admin-field">
          <span>H3 res-7 cells, one per line or separated by commas</span>
          <textarea
            name="cells"
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            aria-invalid={problems.length > 0 ? true : undefined}
          />
        </label>
        <div className="row-actions" style={{ marginTop: 8 }}>
          <button
            type="button"
            className="button small"
            onClick={() => {
              save.reset();
              setDraft(pasted.split(/[\s,]+/).filter(Boolean));
            }}
          >
            Use this list
          </button>
          <button type="button" className="button small" onClick={() => setPasted(cells.join('\n'))}>
            Copy the area here
          </button>
        </div>
      </aside>
    </section>
  );
}
