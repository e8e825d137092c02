import { existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '@/scripts/lib/paths';

/**
 * Puts every profile of the run in `profileDir` under its process's name: Next.js writes the web
 * profile to .next-profiles/ whatever it is asked, and node --cpu-prof names files by pid
 * (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile).
 */
export function nameProfiles(
  profileDir: string,
  webProfileName: string,
  processes: { name: string; child: { pid?: number } }[],
): void {
  const nextDir = join(root, '.next-profiles');
  if (existsSync(nextDir))
    for (const f of readdirSync(nextDir))
      if (f.startsWith(webProfileName) && f.endsWith('.cpuprofile'))
        renameSync(join(nextDir, f), join(profileDir, `web-${f}`));
  const byPid = new Map(processes.map((p) => [String(p.child.pid), p.name]));
  for (const f of readdirSync(profileDir)) {
    const name = f.startsWith('CPU.') ? byPid.get(f.split('.')[3] ?? '') : undefined;
    if (name) renameSync(join(profileDir, f), join(profileDir, `${name}-${f}`));
  }
}
