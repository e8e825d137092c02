import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
/** Downloads kept between runs (ignored by git). */
export const cacheDir = join(root, '.cache');
/** Runtime state: broker data, logs, pids, generated secrets (ignored by git). */
export const runDir = join(root, '.run');
