'use client';
import { useMutation } from '@tanstack/react-query';
import { type RouterOutputs, useTRPC } from '../trpc';
import { humanError } from '../ui/human-error';
import { ConfirmButton } from './ConfirmButton';
import { useRefreshAdmin } from './use-admin-cache';

type Vehicle = RouterOutputs['admin']['vehicles']['list']['rows'][number];

/** One vehicle's actions; destructive ones ask first. A refusal shows in the row it concerns. */
export function VehicleActions({
  vehicle: v,
  onEdit,
  onAssign,
}: {
  vehicle: Vehicle;
  onEdit: () => void;
  onAssign: () => void;
}) {
  const trpc = useTRPC();
  const refresh = useRefreshAdmin();
  const setStatus = useMutation(
    trpc.admin.vehicles.setStatus.mutationOptions({ onSuccess: () => void refresh() }),
  );
  const unassign = useMutation(
    trpc.admin.vehicles.unassign.mutationOptions({ onSuccess: () => void refresh() }),
  );
  const pending = setStatus.isPending || unassign.isPending;
  const error = setStatus.error ?? unassign.error;
  return (
    <div className="row-actions">
      <button type="button" className="button small" onClick={onEdit}>
        Edit
      </button>
      {v.status !== 'retired' && !v.driverId ? (
        <button type="button" className="button small" onClick={onAssign}>
          Assign
        </button>
      ) : null}
      {v.driverId ? (
        <ConfirmButton
          label="Unassign"
          question={`Take ${v.plate} from ${v.driverName}?`}
          disabled={pending}
          onConfirm={() => unassign.mutate({ vehicleId: v.id })}
        />
      ) : null}
      {v.status === 'active' ? (
        <ConfirmButton
          label="Maintenance"
          question={`Send ${v.plate} to maintenance? Its driver cannot go on duty with it.`}
          disabled={pending}
          danger={false}
          onConfirm={() => setStatus.mutate({ vehicleId: v.id, status: 'maintenance' })}
        />
      ) : (
        <ConfirmButton
          label="Activate"
          question={`Put ${v.plate} back in service?`}
          disabled={pending}
          danger={false}
          onConfirm={() => setStatus.mutate({ vehicleId: v.id, status: 'active' })}
        />
      )}
      {v.status !== 'retired' ? (
        <ConfirmButton
          label="Retire"
          question={`Retire ${v.plate}?${v.driverName ? ` ${v.driverName} loses it.` : ''}`}
          disabled={pending}
          onConfirm={() => setStatus.mutate({ vehicleId: v.id, status: 'retired' })}
        />
      ) : null}
      {error ? (
        <small className="field-error" role="alert">
          {humanError(error).message}
        </small>
      ) : null}
    </div>
  );
}
