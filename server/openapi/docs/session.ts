import type { DocsFor } from '../doc-model';
import { exampleJwt, ids, minutes } from './examples';

/** Who is signed in, the vehicle catalogue, and the socket token. */
export const sessionDocs: DocsFor<'me' | 'catalog' | 'realtime'> = {
  me: {
    summary: 'Who is signed in',
    description:
      'The signed-in user behind the session cookie, or `null` without a valid session. The session is ' +
      'checked against the database on every call, so a revoked, expired or suspended session reads as `null`.',
    access: 'anyone',
    example: {
      output: { id: ids.rider, name: 'Riya Sharma', email: 'riya@example.com', role: 'rider' },
    },
    errors: [],
  },
  'catalog.vehicleTypes': {
    summary: 'Vehicle types',
    description:
      'Every vehicle type in display order, with its seats. `active: false` marks a retired type: it is ' +
      'no longer quoted or bookable, but old trips still name it.',
    access: 'signed-in',
    example: {
      output: [
        { id: 'economy', name: 'Economy', seats: 4, sortOrder: 1, active: true },
        { id: 'xl', name: 'XL', seats: 6, sortOrder: 3, active: true },
      ],
    },
    errors: [],
  },
  'realtime.token': {
    summary: 'Socket token for the realtime server',
    description:
      'A token valid for 10 minutes that the Socket.IO server accepts, bound to this sign-in session ' +
      '(signing out ends sockets opened with it), and the URL to connect to. The realtime protocol itself ' +
      'is not part of this API.',
    access: 'signed-in',
    example: {
      output: { token: exampleJwt, expiresAt: minutes(10), url: 'https://realtime.example.com' },
    },
    errors: [],
  },
};
