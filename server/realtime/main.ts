import { loadEnv, realtimeEnvSchema } from '../env';
import { createLogger } from '../infra/logger';
import { onShutdown } from '../infra/shutdown';
import { startRealtimeProcess } from './start';

const env = loadEnv(realtimeEnvSchema);
const logger = createLogger('realtime', env.LOG_LEVEL);
const realtime = await startRealtimeProcess(env, logger);
onShutdown(logger, () => realtime.close());
