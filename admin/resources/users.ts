import type { ActionContext, ActionRequest, ResourceWithOptions } from 'adminjs';
import { NotFoundError, ValidationError } from 'adminjs';
import { ValidationError as HttpValidationError } from '../../src/http/errors.js';
import { ROLES, User, type Role } from '../../src/modules/users/user.entity.js';
import type { PanelSessionStore } from '../../src/http/session-store.js';
import { STAFF_ROLES } from '../../src/modules/users/roles.js';
import type { Services } from '../../src/runtime.js';
import { actorOf, permit } from '../access.js';
import { asActions, audited } from '../audit.js';
import { Components } from '../components.js';

/** Users: admins only. The password hash is never shown; passwords are set through an action. */
export function usersResource(services: Services, sessions: PanelSessionStore): ResourceWithOptions {
  const read = permit('users', 'read');
  const create = permit('users', 'create');
  const update = permit('users', 'update');
  return {
    resource: User,
    options: {
      id: 'users',
      translations: { en: { properties: { totpEnabledAt: 'Second factor since' }, actions: { endSessions: 'End sessions', resetSecondFactor: 'Reset second factor' } } },
      navigation: { name: 'Members', icon: 'User' },
      properties: {
        passwordHash: { isVisible: false },
        tokenVersion: { isVisible: false },
        tokenKeep: { isVisible: false },
        totpSecret: { isVisible: false },
        totpLastStep: { isVisible: false },
        totpEnabledAt: { isVisible: { list: false, show: true, filter: false, edit: false } },
        password: { type: 'password', isVisible: { list: false, show: false, filter: false, edit: true }, description: 'At least 8 characters (only when creating).' },
        role: { availableValues: ROLES.map((r) => ({ value: r, label: r })) },
        createdAt: { isVisible: { list: true, show: true, filter: true, edit: false } },
        updatedAt: { isVisible: { list: false, show: true, filter: false, edit: false } },
        lastLoginAt: { isVisible: { list: false, show: true, filter: true, edit: false } },
      },
      listProperties: ['id', 'username', 'email', 'role', 'isActive', 'createdAt'],
      filterProperties: ['username', 'email', 'role', 'isActive', 'createdAt'],
      editProperties: ['username', 'email', 'role', 'isActive', 'getAgreement', 'password'],
      showProperties: ['id', 'username', 'email', 'role', 'isActive', 'getAgreement', 'totpEnabledAt', 'lastLoginAt', 'createdAt', 'updatedAt'],
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
            // Written by the users service (passwords change only through "Set password"): a role
            // change or a deactivation ends the account's API tokens at once.
            handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
              const { record, currentAdmin, h, resource } = context;
              if (!record) throw new NotFoundError('The record does not exist any more.', 'edit');
              if (request.method !== 'post') return { record: record.toJSON(currentAdmin) };
              const p = request.payload ?? {};
              const text = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
              const flag = (k: string) => (p[k] === undefined ? undefined : p[k] === true || p[k] === 'true');
              try {
                await services.users.updateAccount(Number(record.id()), { username: text('username'), email: text('email'), role: text('role') as Role | undefined, isActive: flag('isActive'), getAgreement: flag('getAgreement') });
              } catch (err) {
                if (!(err instanceof HttpValidationError)) throw err;
                const errors = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, { message: v.join(' ') }]));
                return { record: { ...record.toJSON(currentAdmin), errors }, notice: { message: 'Please correct the errors.', type: 'error' } };
              }
              const fresh = (await resource.findOne(record.id())) ?? record;
              return { record: fresh.toJSON(currentAdmin), notice: { message: 'Saved.', type: 'success' }, redirectUrl: h.recordActionUrl({ resourceId: 'users', recordId: record.id(), actionName: 'show' }) };
            },
          },
          delete: { isAccessible: permit('users', 'delete') },
        }),
        // An admin ends another staff member's sessions: the account's token version moves on
        // (every session and API token is refused at its next request) and its sessions are
        // deleted from the store (the per-account index). Audited by the users service.
        endSessions: {
          actionType: 'record',
          icon: 'LogOut',
          label: 'End sessions',
          isAccessible: permit('users', 'end-sessions'),
          component: Components.StaffAccess,
          handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
            const { record, currentAdmin } = context;
            if (!record) throw new NotFoundError('The record does not exist any more.', 'endSessions');
            if (request.method !== 'post') return { record: record.toJSON(currentAdmin) };
            const id = Number(record.id());
            await services.users.endSessions(id, actorOf(context));
            const ended = await sessions.destroyUser(id);
            return { record: record.toJSON(currentAdmin), notice: { message: `Ended ${ended} panel session${ended === 1 ? '' : 's'}; earlier API tokens no longer work.`, type: 'success' } };
          },
        },
        // A lost authenticator: the staff member's TOTP secret and recovery codes are removed and
        // their sessions end (StaffMfaService.reset, audited).
        resetSecondFactor: {
          actionType: 'record',
          icon: 'Shield',
          label: 'Reset second factor',
          isAccessible: (ctx: ActionContext) => permit('users', 'reset-second-factor')(ctx) && (!ctx.record || STAFF_ROLES.includes(ctx.record.param('role') as Role)),
          component: Components.StaffAccess,
          handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
            const { record, currentAdmin } = context;
            if (!record) throw new NotFoundError('The record does not exist any more.', 'resetSecondFactor');
            if (request.method !== 'post') return { record: record.toJSON(currentAdmin) };
            const id = Number(record.id());
            await services.staffMfa.reset(id, actorOf(context));
            await sessions.destroyUser(id);
            const fresh = (await context.resource.findOne(record.id())) ?? record;
            return { record: fresh.toJSON(currentAdmin), notice: { message: 'Second factor reset; their sessions ended.', type: 'success' } };
          },
        },
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
