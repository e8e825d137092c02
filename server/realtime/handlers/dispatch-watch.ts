import type { Ack } from '@/domain/realtime-contract';
import { rooms } from '@/domain/realtime-contract';
import { hasRole, operationsRoles } from '@/domain/roles';
import { fail } from '../ack';
import type { RealtimeSocket } from '../types';

/** `dispatch:watch`: join the operations room, for dispatchers and admins only. */
export function onDispatchWatch(socket: RealtimeSocket) {
  return async (_payload: unknown, ack: unknown) => {
    if (typeof ack !== 'function') return;
    const reply = ack as (result: Ack<{ room: string }>) => void;
    if (!hasRole(socket.data.principal.role, operationsRoles)) {
      return reply(fail('FORBIDDEN', 'Only dispatchers and admins can watch operations'));
    }
    const room = rooms.operations();
    await socket.join(room);
    reply({ ok: true, room });
  };
}
