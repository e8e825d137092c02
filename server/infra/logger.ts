import { isSpanContextValid, trace } from '@opentelemetry/api';
import { type DestinationStream, pino } from 'pino';

export type Logger = pino.Logger;

/** The ids of the active span (web, workers; see trace-context.ts), so a log line finds its trace. */
function traceIds(): object {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const ids = span.spanContext();
  return isSpanContextValid(ids) ? { trace_id: ids.traceId, span_id: ids.spanId } : {};
}

/** Structured JSON logs, one line per event, tagged with the process that wrote them. */
export function createLogger(
  service: string,
  level: string = 'info',
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceIds,
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
