'use client';
import { useQuery } from '@tanstack/react-query';
import { type RouterOutputs, useTRPC } from '../trpc';
import { distance, duration, words } from '../ui/format';
import { LinkButton } from '../ui/LinkButton';
import { TableHead } from '../ui/TableHead';

type Audit = RouterOutputs['operations']['bookingAudit'];
type Candidate = Audit['candidates'][number];

const time = (at: number) =>
  new Date(at).toLocaleTimeString('en-IN', {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });

/** Why the driver who got the trip got it: their round, rank and reason, and what happened to those ranked above. */
export function winnerExplanation(candidates: Candidate[]): string | null {
  const winner = candidates.find((c) => c.outcome === 'accepted');
  if (!winner) return null;
  const ahead = candidates.filter((c) => c.round === winner.round && c.rank < winner.rank);
  const passed = ahead.map((c) => `${c.name ?? 'a driver'} (${c.outcome ?? 'not offered'})`).join(', ');
  return `${winner.name ?? 'The driver'} won round ${winner.round} at rank ${winner.rank}: ${winner.reason}${passed ? `. Ranked ahead: ${passed}` : ''}.`;
}

/** A booking's audit for dispatchers: every transition with who, when and why; every search round's candidates. */
export function BookingAudit({ bookingId, onClose }: { bookingId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const audit = useQuery(trpc.operations.bookingAudit.queryOptions({ bookingId }));
  const rounds = [...new Set(audit.data?.candidates.map((c) => c.round) ?? [])];
  const why = audit.data ? winnerExplanation(audit.data.candidates) : null;
  return (
    <section className="card booking-audit" data-testid="booking-audit" data-booking-id={bookingId}>
      <div className="board-head">
        <strong>Booking {bookingId.slice(0, 8)}</strong>
        <LinkButton onClick={onClose}>Close</LinkButton>
      </div>
      {audit.isLoading ? <p>Loading…</p> : null}
      {audit.error ? <p className="error">{audit.error.message}</p> : null}
      {why ? (
        <p className="audit-winner" data-testid="audit-winner">
          {why}
        </p>
      ) : null}
      <h3>Transitions</h3>
      <ol className="audit-events" data-testid="audit-events">
        {audit.data?.events.map((e) => (
          <li key={e.version} data-event={e.event}>
            <span className="muted">
              v{e.version} · {time(e.at)}
            </span>{' '}
            {e.from ? `${words(e.from)} → ` : ''}
            <strong>{words(e.to)}</strong> · {words(e.event)} by{' '}
            {e.actorName ? `${e.actorName} (${e.actor})` : e.actor}
            {e.reason ? <div className="audit-reason">{e.reason}</div> : null}
          </li>
        ))}
      </ol>
      <h3>Candidates</h3>
      {rounds.length === 0 ? <p className="muted">No search round yet.</p> : null}
      {rounds.map((round) => (
        <table key={round} className="data audit-candidates" data-testid={`audit-round-${round}`}>
          <caption>Round {round}</caption>
          <TableHead labels={['#', 'Driver', 'Pickup', 'Idle', 'Outcome']} />
          <tbody>
            {audit.data?.candidates
              .filter((c) => c.round === round)
              .map((c) => (
                <tr
                  key={c.driverId}
                  className={c.outcome === 'accepted' ? 'winner' : ''}
                  title={c.reason}
                  data-outcome={c.outcome ?? 'none'}
                >
                  <td>{c.rank}</td>
                  <td>{c.name ?? c.driverId.slice(0, 8)}</td>
                  <td>
                    {duration(c.etaS)} · {distance(c.distanceM)}
                  </td>
                  <td>{duration(c.idleS)}</td>
                  <td>{c.outcome ?? '—'}</td>
                </tr>
              ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}
