import { conflict, type DocsFor, invalid } from '../doc-model';
import { ids } from './examples';

/** Accounts people make themselves. Staff and driver accounts are made by admins. */
export const accountDocs: DocsFor<'account'> = {
  'account.signUp': {
    summary: 'Sign up as a rider',
    description:
      'Creates a rider account (the phone, optional, is stored encrypted and shown to the driver of a ' +
      'trip). No session is needed and none is opened: sign in afterwards with the same e-mail and ' +
      'password. Limited per client address.',
    access: 'anyone',
    limits: ['signUp'],
    example: {
      input: {
        email: 'riya@example.com',
        name: 'Riya Sharma',
        password: 'correct-horse-battery',
        phone: '+91 98450 00000',
      },
      output: { id: ids.rider, email: 'riya@example.com', name: 'Riya Sharma' },
    },
    errors: [
      invalid('email', 'not an e-mail address (`name`, `password` and `phone` likewise)'),
      invalid('password', 'shorter than 10 characters'),
      conflict('an account with this e-mail exists; sign in instead', 'email'),
    ],
  },
};
