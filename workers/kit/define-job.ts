import { type Attributes, SpanKind } from '@opentelemetry/api';
import { type Job, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { type ErrorCode, isDomainError } from '@/domain/errors';
import { contextFrom, inSpan, tracerFor } from '@/server/infra/trace-context';

/**
 * One BullMQ job: its name, its payload's zod schema (the contract with whoever enqueues it) and
 * the handler, which gets the parsed payload. `attributes` adds payload ids to the job's span.
 * (Methods, not function properties, so definitions of different payloads share one list.)
 */
export interface JobDefinition<P extends z.ZodType = z.ZodType, R = unknown> {
  name: string;
  payload: P;
  handler(payload: z.output<P>, job: Job): Promise<R>;
  attributes?(payload: z.output<P>): Attributes;
}

export function defineJob<P extends z.ZodType, R>(definition: JobDefinition<P, R>): JobDefinition<P, R> {
  return definition;
}

/** Jobs without a payload (schedulers' runs). */
export const noPayload = z.object({});

/** The enqueuer's trace context, which rides in the job data beside the payload. */
const traceCarrier = z.record(z.string(), z.string());

/**
 * DomainError codes that mean "later", not "never": left to BullMQ's retries with backoff, like
 * any other error. Every other DomainError is a verdict on the job itself (not found, conflict,
 * invalid) that a retry cannot change: it fails the job at once.
 */
const retryableCodes: ReadonlySet<ErrorCode> = new Set(['UNAVAILABLE', 'RATE_LIMITED']);

function unrecoverable(error: unknown): unknown {
  if (!isDomainError(error) || retryableCodes.has(error.code)) return error;
  return Object.assign(new UnrecoverableError(error.message), { cause: error });
}

const tracer = tracerFor('workers');

/**
 * The processor of `queue`: finds the job's definition by name, runs it in a span (`<queue> <job>`,
 * under the enqueuer's if the data carries one), parses the payload (a bad one can never succeed:
 * UnrecoverableError naming the field) and maps the handler's DomainError as above.
 */
export function jobProcessor(queue: string, jobs: readonly JobDefinition[]): (job: Job) => Promise<unknown> {
  const byName = new Map(jobs.map((definition) => [definition.name, definition]));
  return (job) =>
    inSpan(
      tracer,
      `${queue} ${job.name}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextFrom(traceCarrier.safeParse(job.data?.trace).data),
        attributes: { 'job.name': job.name, 'job.id': job.id ?? '', 'job.attempt': job.attemptsMade + 1 },
      },
      async (span) => {
        const definition = byName.get(job.name);
        if (!definition) throw new UnrecoverableError(`unknown ${queue} job ${job.name}`);
        const parsed = definition.payload.safeParse(job.data);
        if (!parsed.success) {
          const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
          throw new UnrecoverableError(`bad ${queue} ${job.name} payload: ${problems.join('; ')}`);
        }
        if (definition.attributes) span.setAttributes(definition.attributes(parsed.data));
        try {
          return await definition.handler(parsed.data, job);
        } catch (error) {
          throw unrecoverable(error);
        }
      },
    );
}
