import { loadEnv, workersEnvSchema } from '@/server/env';
import { createLogger } from '@/server/infra/logger';
import { onShutdown } from '@/server/infra/shutdown';
import { startWorkersProcess } from './start';

const env = loadEnv(workersEnvSchema);
const logger = createLogger('workers', env.LOG_LEVEL);
const workers = await startWorkersProcess(env, logger);
onShutdown(logger, () => workers.close());
