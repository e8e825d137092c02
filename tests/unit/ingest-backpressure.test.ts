import { describe, expect, it } from 'vitest';
import { defaultBackpressurePolicy, IngestBackpressure } from '@/server/infra/ingest-backpressure';

describe('ingest backpressure', () => {
  it('asks senders to pause, then refuses, as positions await Kafka', () => {
    let pending = 0;
    const gate = new IngestBackpressure(() => pending);
    expect(gate.now()).toEqual({ level: 'ok' });
    pending = defaultBackpressurePolicy.slowDownPending;
    expect(gate.now()).toEqual({ level: 'slow', waitMs: defaultBackpressurePolicy.sendAgainInMs });
    pending = defaultBackpressurePolicy.refusePending;
    expect(gate.now()).toEqual({ level: 'refuse', waitMs: defaultBackpressurePolicy.retryAfterMs });
    pending = 0;
    expect(gate.now()).toEqual({ level: 'ok' });
  });

  it('ignores one long task, but not a loop that stays late, and recovers once it keeps time', () => {
    const gate = new IngestBackpressure(() => 0);
    gate.observeLag(defaultBackpressurePolicy.slowDownLagMs * 2);
    gate.observeLag(0);
    expect(gate.now().level).toBe('ok');
    for (let i = 0; i < 20; i++) gate.observeLag(defaultBackpressurePolicy.refuseLagMs * 1.1);
    expect(gate.now().level).toBe('refuse');
    for (let i = 0; i < 5; i++) gate.observeLag(0);
    expect(gate.now().level).toBe('slow');
    for (let i = 0; i < 20; i++) gate.observeLag(0);
    expect(gate.now().level).toBe('ok');
  });
});
