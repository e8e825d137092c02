import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * docs/operations.md is where alerts send the person on call: every runbook link in
 * deploy/monitoring/alerts.yml, and every link inside the document, must land on a heading.
 */
const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'operations.md'), 'utf8');

/** GitHub's heading anchor: lower case, punctuation dropped (hyphens kept), spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

const headings = [...doc.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!));

describe('docs/operations.md', () => {
  it('computes anchors as GitHub does', () => {
    expect(anchorOf('No-driver rate')).toBe('no-driver-rate');
    expect(anchorOf('Rolling updates and graceful shutdown')).toBe('rolling-updates-and-graceful-shutdown');
    expect(anchorOf('API errors')).toBe('api-errors');
  });

  it('has a heading for every runbook link of the alert rules', () => {
    const alerts = parse(readFileSync(join(root, 'deploy', 'monitoring', 'alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; annotations: { runbook: string } }[] }[];
    };
    const runbooks = alerts.groups.flatMap((g) => g.rules.map((r) => [r.alert, r.annotations.runbook]));
    expect(runbooks.length).toBeGreaterThan(5);
    for (const [alert, runbook] of runbooks) {
      const [file, anchor] = runbook!.split('#');
      expect(file, alert).toBe('docs/operations.md');
      expect(headings, `${alert} → #${anchor}`).toContain(anchor);
    }
  });

  it('has no duplicate headings (a duplicate gets a -1 anchor and links go to the first)', () => {
    expect(headings.filter((h, i) => headings.indexOf(h) !== i)).toEqual([]);
  });

  it('links only to its own headings and to files that exist', () => {
    for (const [, target] of doc.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (target!.startsWith('#')) expect(headings, target).toContain(target!.slice(1));
      else if (!/^https?:/.test(target!)) {
        expect(existsSync(join(root, 'docs', target!.split('#')[0]!)), target).toBe(true);
      }
    }
    // And the files it names in backquotes.
    for (const [, path] of doc.matchAll(/`((?:deploy|server|scripts|tests|db|docs)\/[\w./-]+)`/g)) {
      expect(existsSync(join(root, path!)), path).toBe(true);
    }
  });
});
