import { pino } from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs, one line per event, tagged with the process that wrote them. */
export function createLogger(service: string, level: string = 'info'): Logger {
  return pino({
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['password', '*.password', 'token', '*.token', 'authorization'], censor: '[redacted]' },
  });
}
