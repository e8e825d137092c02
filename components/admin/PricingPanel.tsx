'use client';
import { useQuery } from '@tanstack/react-query';
import { currency } from '@/domain/money';
import { useTRPC } from '../trpc';
import { FareTableForm } from './FareTableForm';
import { SurgeForm } from './SurgeForm';

/** Fare tables of every type (retired ones too, for when they come back) and the surge policy. */
export function PricingPanel() {
  const trpc = useTRPC();
  const types = useQuery(trpc.admin.vehicleTypes.list.queryOptions());
  const settings = useQuery(trpc.admin.settings.get.queryOptions());
  return (
    <section className="admin" data-testid="admin-pricing">
      <h1>Pricing</h1>
      <p className="muted">
        Amounts in {currency}. Quotes already given keep their locked price for up to 5 minutes.
      </p>
      {types.error ? <p className="error">{types.error.message}</p> : null}
      {types.data?.map((t) => (t.fare ? <FareTableForm key={t.id} type={{ ...t, fare: t.fare }} /> : null))}
      {settings.data ? <SurgeForm settings={settings.data} /> : null}
    </section>
  );
}
