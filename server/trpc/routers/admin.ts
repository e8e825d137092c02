import type { Role } from '@/domain/roles';
import { assignVehicle, assignVehicleInput } from '../../services/admin/assign-vehicle';
import { changeUserRole, changeUserRoleInput } from '../../services/admin/change-user-role';
import { createVehicle, createVehicleInput } from '../../services/admin/create-vehicle';
import { createVehicleType, createVehicleTypeInput } from '../../services/admin/create-vehicle-type';
import { editVehicle, editVehicleInput } from '../../services/admin/edit-vehicle';
import { getAdminSettings } from '../../services/admin/get-admin-settings';
import { getRider, getRiderInput } from '../../services/admin/get-rider';
import { listAuditEntries, listAuditInput } from '../../services/admin/list-audit-entries';
import { listDrivers, listDriversInput } from '../../services/admin/list-drivers';
import { listUsers, listUsersInput } from '../../services/admin/list-users';
import { listVehicleTypes } from '../../services/admin/list-vehicle-types';
import { listVehicles, listVehiclesInput } from '../../services/admin/list-vehicles';
import { onboardDriver, onboardDriverInput } from '../../services/admin/onboard-driver';
import { renameVehicleType, renameVehicleTypeInput } from '../../services/admin/rename-vehicle-type';
import { resetUserPassword, resetUserPasswordInput } from '../../services/admin/reset-user-password';
import { revealPii, revealPiiInput } from '../../services/admin/reveal-pii';
import { setDriverDocuments, setDriverDocumentsInput } from '../../services/admin/set-driver-documents';
import { setServiceArea, setServiceAreaInput } from '../../services/admin/set-service-area';
import { setUserStatus, setUserStatusInput } from '../../services/admin/set-user-status';
import { setVehicleStatus, setVehicleStatusInput } from '../../services/admin/set-vehicle-status';
import {
  setVehicleTypeActive,
  setVehicleTypeActiveInput,
} from '../../services/admin/set-vehicle-type-active';
import { setVehicleTypeSeats, setVehicleTypeSeatsInput } from '../../services/admin/set-vehicle-type-seats';
import { unassignVehicle, unassignVehicleInput } from '../../services/admin/unassign-vehicle';
import { updateFareTable, updateFareTableInput } from '../../services/admin/update-fare-table';
import { updateSurgePolicy, updateSurgePolicyInput } from '../../services/admin/update-surge-policy';
import { roleProcedure, router } from '../init';

/** Everything here is for admins only; each use case writes its change and its audit entry in one transaction. */
const admin = roleProcedure('admin');

/** Who does it, from where: every audit entry carries both. */
const actor = (ctx: { user: { id: string; role: Role }; ip?: string | null }) => ({
  id: ctx.user.id,
  role: ctx.user.role,
  ip: ctx.ip ?? null,
});

export const adminRouter = router({
  vehicleTypes: router({
    list: admin.query(({ ctx }) => listVehicleTypes(ctx.deps.db)),
    create: admin
      .input(createVehicleTypeInput)
      .mutation(({ ctx, input }) => createVehicleType(ctx.deps, actor(ctx), input)),
    rename: admin
      .input(renameVehicleTypeInput)
      .mutation(({ ctx, input }) => renameVehicleType(ctx.deps, actor(ctx), input)),
    setSeats: admin
      .input(setVehicleTypeSeatsInput)
      .mutation(({ ctx, input }) => setVehicleTypeSeats(ctx.deps, actor(ctx), input)),
    setActive: admin
      .input(setVehicleTypeActiveInput)
      .mutation(({ ctx, input }) => setVehicleTypeActive(ctx.deps, actor(ctx), input)),
  }),

  vehicles: router({
    list: admin.input(listVehiclesInput).query(({ ctx, input }) => listVehicles(ctx.deps.db, input)),
    create: admin
      .input(createVehicleInput)
      .mutation(({ ctx, input }) => createVehicle(ctx.deps, actor(ctx), input)),
    edit: admin
      .input(editVehicleInput)
      .mutation(({ ctx, input }) => editVehicle(ctx.deps, actor(ctx), input)),
    setStatus: admin
      .input(setVehicleStatusInput)
      .mutation(({ ctx, input }) => setVehicleStatus(ctx.deps, actor(ctx), input)),
    assign: admin
      .input(assignVehicleInput)
      .mutation(({ ctx, input }) => assignVehicle(ctx.deps, actor(ctx), input)),
    unassign: admin
      .input(unassignVehicleInput)
      .mutation(({ ctx, input }) => unassignVehicle(ctx.deps, actor(ctx), input)),
  }),

  drivers: router({
    list: admin.input(listDriversInput).query(({ ctx, input }) => listDrivers(ctx.deps.db, input)),
    onboard: admin
      .input(onboardDriverInput)
      .mutation(({ ctx, input }) => onboardDriver(ctx.deps, actor(ctx), input)),
    setDocuments: admin
      .input(setDriverDocumentsInput)
      .mutation(({ ctx, input }) => setDriverDocuments(ctx.deps, actor(ctx), input)),
  }),

  riders: router({
    list: admin
      .input(listUsersInput.omit({ role: true }))
      .query(({ ctx, input }) => listUsers(ctx.deps.db, { ...input, role: 'rider' })),
    get: admin.input(getRiderInput).query(({ ctx, input }) => getRider(ctx.deps.db, input)),
  }),

  users: router({
    list: admin.input(listUsersInput).query(({ ctx, input }) => listUsers(ctx.deps.db, input)),
    /** Suspend or reinstate (riders: block or unblock); suspension signs the user out everywhere. */
    setStatus: admin
      .input(setUserStatusInput)
      .mutation(({ ctx, input }) => setUserStatus(ctx.deps, actor(ctx), input)),
    changeRole: admin
      .input(changeUserRoleInput)
      .mutation(({ ctx, input }) => changeUserRole(ctx.deps, actor(ctx), input)),
    resetPassword: admin
      .input(resetUserPasswordInput)
      .mutation(({ ctx, input }) => resetUserPassword(ctx.deps, actor(ctx), input)),
    /** A mutation, not a query: it writes a `pii.viewed` audit entry, and must never be cached or prefetched. */
    revealPii: admin
      .input(revealPiiInput)
      .mutation(({ ctx, input }) => revealPii(ctx.deps, actor(ctx), input)),
  }),

  settings: router({
    get: admin.query(({ ctx }) => getAdminSettings(ctx.deps.db)),
    updateFare: admin
      .input(updateFareTableInput)
      .mutation(({ ctx, input }) => updateFareTable(ctx.deps, actor(ctx), input)),
    updateSurge: admin
      .input(updateSurgePolicyInput)
      .mutation(({ ctx, input }) => updateSurgePolicy(ctx.deps, actor(ctx), input)),
    setServiceArea: admin
      .input(setServiceAreaInput)
      .mutation(({ ctx, input }) => setServiceArea(ctx.deps, actor(ctx), input)),
  }),

  /** Security and admin events, newest first, with filters; 100 a page by keyset. */
  audit: admin.input(listAuditInput).query(({ ctx, input }) => listAuditEntries(ctx.deps.db, input)),
});
