'use client';
import type { RouterOutputs } from '../trpc';
import { words } from '../ui/format';
import { TableHead } from '../ui/TableHead';
import { hours, money, percent, rate, seconds } from './format';

type Summary = RouterOutputs['analytics']['summary'];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function Card({ id, label, value, note }: { id: string; label: string; value: string; note?: string }) {
  return (
    <div className="metric" data-testid={`summary-${id}`}>
      <span className="metric-label">{label}</span>
      <strong className="metric-value" data-testid={`summary-${id}-value`}>
        {value}
      </strong>
      {note ? <span className="muted">{note}</span> : null}
    </div>
  );
}

/** The headline numbers of the range. */
export function SummaryCards({ s }: { s: Summary }) {
  const revenue = s.revenue.byCurrency;
  return (
    <>
      <div className="metrics">
        <Card id="made" label="Bookings" value={String(s.bookings.made)} note="made in the range" />
        <Card
          id="completed"
          label="Completed"
          value={String(s.bookings.completed)}
          note={`${s.bookings.cancelled} cancelled · ${s.bookings.noDriverFound} no driver`}
        />
        <Card id="fulfilment" label="Fulfilment" value={percent(s.fulfilmentRate)} note="completed ÷ made" />
        <Card
          id="assign"
          label="Time to assign"
          value={`${seconds(s.timeToAssign.p50S)} / ${seconds(s.timeToAssign.p90S)}`}
          note={`p50 / p90 over ${plural(s.timeToAssign.count, 'booking')}`}
        />
        <Card
          id="eta"
          label="Pickup: promised vs actual"
          value={`${seconds(s.pickupEta.promisedAvgS)} → ${seconds(s.pickupEta.actualAvgS)}`}
          note={`average of ${plural(s.pickupEta.count, 'pickup')} · ${s.pickupEta.late} later than promised`}
        />
        <Card
          id="revenue"
          label="Revenue"
          value={money(revenue.map((r) => ({ currency: r.currency, amount: r.fares + r.fees })))}
          note={`${plural(
            revenue.reduce((n, r) => n + r.trips, 0),
            'trip',
          )} · fees ${money(revenue.map((r) => ({ currency: r.currency, amount: r.fees })))}`}
        />
        <Card
          id="utilisation"
          label="Driver utilisation"
          value={percent(s.drivers.utilisation)}
          note={`on trip ÷ online · ${hours(s.drivers.onlineHours)} online by ${plural(s.drivers.active, 'driver')}`}
        />
        <Card
          id="offers"
          label="Offers per online hour"
          value={rate(s.drivers.offersPerOnlineHour)}
          note={
            s.drivers.offersPerHourSpread
              ? `drivers ≥ 1 h: p10 ${rate(s.drivers.offersPerHourSpread.p10)} · p50 ${rate(s.drivers.offersPerHourSpread.p50)} · p90 ${rate(s.drivers.offersPerHourSpread.p90)}`
              : 'no driver online for an hour yet'
          }
        />
      </div>
      <section className="card cancellations" data-testid="cancellations">
        <h2>Cancellations: {s.cancellations.total}</h2>
        <p className="muted">
          {s.cancellations.byActor.length === 0
            ? 'None in this range.'
            : s.cancellations.byActor
                .map((a) => `${a.cancellations} by ${a.actor}s (${a.ended} ended the booking)`)
                .join(' · ')}
        </p>
        {s.cancellations.topReasons.length > 0 ? (
          <table className="data">
            <TableHead labels={['Who', 'Why', 'Count']} />
            <tbody>
              {s.cancellations.topReasons.map((r) => (
                <tr key={`${r.actor}/${r.reason}`}>
                  <td>{words(r.actor)}</td>
                  <td>{r.reason}</td>
                  <td>{r.cancellations}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </>
  );
}
