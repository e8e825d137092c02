import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The import boundaries and the floating-promise rule live in biome.json, and `npm run check`
 * runs Biome. These tests plant small files in the real folders (the overrides match by path) and
 * run the project's Biome on them, so a rule that stops matching (a renamed option, a folder glob
 * gone stale) fails here instead of silently letting the layers mix.
 */
const root = process.cwd();
const biome = join(root, 'node_modules', '.bin', 'biome');
const tag = `__planted_${process.pid}__`;

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string };
}

async function lint(files: Record<string, string>) {
  const paths = Object.keys(files);
  try {
    await Promise.all(paths.map((path) => writeFile(join(root, path), files[path]!)));
    const run = await promisify(execFile)(biome, ['lint', '--reporter=json', ...paths], { cwd: root }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '' }),
    );
    const report = JSON.parse(run.stdout) as { diagnostics: Diagnostic[] };
    const found = (path: string) =>
      report.diagnostics.filter((d) => d.location.path === path).map((d) => `${d.category}: ${d.message}`);
    return { code: run.code, found };
  } finally {
    await Promise.all(paths.map((path) => rm(join(root, path), { force: true })));
  }
}

const restricted = 'lint/style/noRestrictedImports';

describe('lint boundaries', () => {
  it('fails on a planted import across a boundary and on a floating promise', async () => {
    const planted = {
      [`domain/${tag}.ts`]: `import { Pool } from 'pg';\nexport const pool = Pool;\n`,
      [`domain/${tag}-up.ts`]: `import { webDeps } from '@/server/web/deps';\nexport const deps = webDeps;\n`,
      [`components/${tag}.ts`]: `import { webDeps } from '@/server/web/deps';\nexport const deps = webDeps;\n`,
      [`components/${tag}-router.ts`]: `import { appRouter } from '@/server/trpc/routers/app';\nexport const r = appRouter;\n`,
      [`app/${tag}.tsx`]: `import { createWebDeps } from '@/server/web/deps';\nexport const deps = createWebDeps;\n`,
      [`server/trpc/${tag}.ts`]: `import { viewportResolution } from '../realtime/fleet-view';\nexport const f = viewportResolution;\n`,
      [`server/realtime/${tag}.ts`]: `import { appRouter } from '../trpc/routers/app';\nexport const r = appRouter;\n`,
      [`workers/${tag}.ts`]: `import * as change from '@/server/services/driver/internal/availability-change';\nexport const c = change;\n`,
      [`server/${tag}.ts`]: `async function later(): Promise<number> {\n  return 1;\n}\nexport function go() {\n  later();\n}\n`,
    };
    const { code, found } = await lint(planted);

    expect(code).not.toBe(0);
    expect(found(`domain/${tag}.ts`)).toEqual([expect.stringMatching(`^${restricted}: domain/ is pure`)]);
    expect(found(`domain/${tag}-up.ts`)).toEqual([
      expect.stringMatching(`^${restricted}: domain/ depends on nothing`),
    ]);
    expect(found(`components/${tag}.ts`)).toEqual([
      expect.stringMatching(`^${restricted}: UI code never imports`),
    ]);
    expect(found(`components/${tag}-router.ts`)).toEqual([
      expect.stringMatching(`^${restricted}: Client code takes only the AppRouter type`),
    ]);
    expect(found(`app/${tag}.tsx`)).toEqual([expect.stringMatching(`^${restricted}: UI code never imports`)]);
    expect(found(`server/trpc/${tag}.ts`)).toEqual([
      expect.stringMatching(`^${restricted}: server/trpc is a door`),
    ]);
    expect(found(`server/realtime/${tag}.ts`)).toEqual([
      expect.stringMatching(`^${restricted}: server/realtime is a door`),
    ]);
    expect(found(`workers/${tag}.ts`)).toEqual([
      expect.stringMatching(`^${restricted}: A door calls a feature's use cases`),
    ]);
    expect(found(`server/${tag}.ts`)).toEqual([expect.stringMatching('^lint/nursery/noFloatingPromises: ')]);
  }, 30_000);

  it('passes the imports the layers are allowed', async () => {
    const { code, found } = await lint({
      [`domain/${tag}.ts`]: `import { z } from 'zod';\nimport { haversineMeters } from './geo';\nexport const ok = [z, haversineMeters];\n`,
      [`components/${tag}.ts`]: [
        `import type { AppRouter } from '@/server/trpc/routers/app';`,
        `import { roles } from '@/domain/roles';`,
        `export type Router = AppRouter;`,
        `export const ok = roles;`,
        '',
      ].join('\n'),
      [`app/${tag}.tsx`]: `import { requireRole } from '@/server/web/page-guard';\nexport const guard = requireRole;\n`,
      [`server/trpc/${tag}.ts`]: `import { createVehicle } from '../services/admin/create-vehicle';\nexport const use = createVehicle;\n`,
      [`server/${tag}.ts`]: `async function later(): Promise<number> {\n  return 1;\n}\nexport async function go() {\n  await later();\n}\n`,
    });
    expect(found(`domain/${tag}.ts`)).toEqual([]);
    expect(found(`components/${tag}.ts`)).toEqual([]);
    expect(found(`app/${tag}.tsx`)).toEqual([]);
    expect(found(`server/trpc/${tag}.ts`)).toEqual([]);
    expect(found(`server/${tag}.ts`)).toEqual([]);
    expect(code).toBe(0);
  }, 30_000);
});
