import type { ActionContext, ActionRequest, ResourceWithOptions } from 'adminjs';
import { ValidationError } from 'adminjs';
import { ROLES, User } from '../../src/modules/users/user.entity.js';
import type { Services } from '../../src/runtime.js';
import { actorOf, permit } from '../access.js';
import { asActions, audited } from '../audit.js';
import { Components } from '../components.js';

/** Users: admins only. The password hash is never shown; passwords are set through an action. */
export function usersResource(services: Services): ResourceWithOptions {
  const read = permit('users', 'read');
  const create = permit('users', 'create');
  const update = permit('users', 'update');
  return {
    resource: User,
    options: {
      id: 'users',
      navigation: { name: 'Members', icon: 'User' },
      properties: {
        passwordHash: { isVisible: false },
        password: { type: 'password', isVisible: { list: false, show: false, filter: false, edit: true }, description: 'At least 8 characters (only when creating).' },
        role: { availableValues: ROLES.map((r) => ({ value: r, label: r })) },
        createdAt: { isVisible: { list: true, show: true, filter: true, edit: false } },
        updatedAt: { isVisible: { list: false, show: true, filter: false, edit: false } },
        lastLoginAt: { isVisible: { list: false, show: true, filter: true, edit: false } },
      },
      listProperties: ['id', 'username', 'email', 'role', 'isActive', 'createdAt'],
      filterProperties: ['username', 'email', 'role', 'isActive', 'createdAt'],
      editProperties: ['username', 'email', 'role', 'isActive', 'getAgreement', 'password'],
      showProperties: ['id', 'username', 'email', 'role', 'isActive', 'getAgreement', 'lastLoginAt', 'createdAt', 'updatedAt'],
      sort: { sortBy: 'id', direction: 'desc' },
      actions: asActions({
        list: { isAccessible: read },
        show: { isAccessible: read },
        search: { isAccessible: read },
        ...audited('users', services.audit, {
          new: {
            isAccessible: create,
            before: async (request: ActionRequest) => {
              if (request.method !== 'post') return request;
              const { password, ...rest } = request.payload ?? {};
              if (typeof password !== 'string' || password.length < 8) {
                throw new ValidationError({ password: { message: 'At least 8 characters' } });
              }
              return { ...request, payload: { ...rest, passwordHash: await services.users.hashNewPassword(password) } };
            },
          },
          edit: {
            isAccessible: update,
            before: async (request: ActionRequest) => {
              if (request.method !== 'post' || !request.payload) return request;
              // Passwords change only through "Set password"; a hash is never edited as text.
              const { password: _p, passwordHash: _h, ...rest } = request.payload;
              return { ...request, payload: rest };
            },
          },
          delete: { isAccessible: permit('users', 'delete') },
        }),
        setPassword: {
          actionType: 'record',
          icon: 'Key',
          label: 'Set password',
          isAccessible: permit('users', 'set-password'),
          component: Components.SetPassword,
          handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
            const { record, currentAdmin } = context;
            if (!record) throw new Error('record missing');
            if (request.method === 'post') {
              const password = request.payload?.password;
              if (typeof password !== 'string' || password.length < 8) {
                return { record: record.toJSON(currentAdmin), notice: { message: 'The password needs at least 8 characters.', type: 'error' } };
              }
              await services.users.setPassword(Number(record.id()), password, actorOf(context));
              return { record: record.toJSON(currentAdmin), notice: { message: 'Password set.', type: 'success' } };
            }
            return { record: record.toJSON(currentAdmin) };
          },
        },
      }),
    },
  };
}
