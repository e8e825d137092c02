'use client';
import type { RouterOutputs } from '../trpc';
import { words } from '../ui/format';
import { AccountStatus } from './AccountStatus';
import { DetailCard } from './DetailCard';
import { DriverDocumentsForm } from './DriverDocumentsForm';
import { Pill } from './Pill';
import { RevealPii } from './RevealPii';

type Driver = RouterOutputs['admin']['drivers']['list']['rows'][number];

/** One driver: documents, personal fields on demand, vehicle, and suspension. */
export function DriverDetail({ driver, onClose }: { driver: Driver; onClose: () => void }) {
  return (
    <DetailCard title={driver.name} onClose={onClose} data-testid="driver-detail" data-driver-id={driver.id}>
      <dl className="status-grid">
        <dt>E-mail</dt>
        <dd>{driver.email}</dd>
        <dt>Account</dt>
        <dd>
          <Pill value={driver.status} />
        </dd>
        <dt>On duty</dt>
        <dd>{words(driver.availability)}</dd>
        <dt>Vehicle</dt>
        <dd>
          {driver.plate
            ? `${driver.plate} (${driver.vehicleStatus})`
            : 'none — assign one on the Vehicles tab'}
        </dd>
        <dt>Phone</dt>
        <dd>
          {driver.hasPhone ? (
            <RevealPii key={`${driver.id}-phone`} userId={driver.id} field="phone" />
          ) : (
            'none'
          )}
        </dd>
        <dt>Licence</dt>
        <dd>
          <RevealPii key={`${driver.id}-licence`} userId={driver.id} field="licenseNumber" />
        </dd>
      </dl>
      <DriverDocumentsForm
        key={`${driver.id}:${driver.documentStatus}:${driver.documentNote}`}
        driver={driver}
      />
      <div style={{ marginTop: 12 }}>
        <AccountStatus user={driver} />
      </div>
    </DetailCard>
  );
}
