import type { ActionContext, ActionRequest, ResourceWithOptions } from 'adminjs';
import { NotFoundError } from 'adminjs';
import { ValidationError as HttpValidationError } from '../../src/http/errors.js';
import { passwordProblem, PASSWORD_MAX, PASSWORD_MIN } from '../../src/modules/users/password-rule.js';
import { ROLES, User, type Role } from '../../src/modules/users/user.entity.js';
import { accountCreateBody, type AccountCreate } from '../../src/modules/users/users.schemas.js';
import { explainHttpErrors, inPanelLanguage, panelLang, serviceForm } from '../service-form.js';
import { panelText } from '../locale/index.js';
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
  // New accounts: the sign-up's rules (users.schemas.ts) through the users service.
  const form = serviceForm({
    resourceId: 'users',
    fields: { username: 'username', email: 'email', password: 'password', role: 'role', isActive: 'is_active', getAgreement: 'get_agreement' },
    createSchema: accountCreateBody,
    updateSchema: accountCreateBody,
    create: (_staff, input) => services.users.createAccount(input as AccountCreate),
    update: async () => {
      throw new Error('users are edited by the edit handler below');
    },
    remove: (staff, id) => services.users.deleteAccount(Number(id), { id: staff.id, email: staff.email }),
    explain: explainHttpErrors,
  });
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
        password: { type: 'password', isVisible: { list: false, show: false, filter: false, edit: true }, description: `${PASSWORD_MIN}–${PASSWORD_MAX} characters (only when creating; later through "Set password").` },
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
          new: { isAccessible: create, handler: form.newHandler },
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
              } catch (thrown) {
                const err = inPanelLanguage(thrown, context);
                if (!(err instanceof HttpValidationError)) throw err;
                const errors = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, { message: v.join(' ') }]));
                return { record: { ...record.toJSON(currentAdmin), errors }, notice: { message: panelText(panelLang(context), 'formFixFields'), type: 'error' } };
              }
              const fresh = (await resource.findOne(record.id())) ?? record;
              return { record: fresh.toJSON(currentAdmin), notice: { message: panelText(panelLang(context), 'saved'), type: 'success' }, redirectUrl: h.recordActionUrl({ resourceId: 'users', recordId: record.id(), actionName: 'show' }) };
            },
          },
        }),
        // Deleted by the users service (which refuses an account the books refer to, and audits it).
        delete: { isAccessible: permit('users', 'delete'), handler: form.deleteHandler },
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
            return { record: record.toJSON(currentAdmin), notice: { message: panelText(panelLang(context), ended === 1 ? 'staffSessionEnded' : 'staffSessionsEnded', { count: ended }), type: 'success' } };
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
            return { record: fresh.toJSON(currentAdmin), notice: { message: panelText(panelLang(context), 'staffSecondFactorReset'), type: 'success' } };
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
              const lang = panelLang(context);
              // The users module's rule (passwordProblem), said in the staff member's language.
              if (typeof password !== 'string' || !password) return { record: record.toJSON(currentAdmin), notice: { message: panelText(lang, 'pwRequired'), type: 'error' } };
              if (passwordProblem(password)) {
                const message = password.length < PASSWORD_MIN ? panelText(lang, 'pwMin', { min: PASSWORD_MIN }) : panelText(lang, 'pwMax', { max: PASSWORD_MAX });
                return { record: record.toJSON(currentAdmin), notice: { message, type: 'error' } };
              }
              await services.users.setPassword(Number(record.id()), password, actorOf(context));
              return { record: record.toJSON(currentAdmin), notice: { message: panelText(lang, 'pwSet'), type: 'success' } };
            }
            return { record: record.toJSON(currentAdmin) };
          },
        },
      }),
    },
  };
}
