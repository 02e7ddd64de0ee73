// Staff sessions of the panel, ahead of AdminJS (mounted in the admin router's pre-middleware):
//
// - the session middleware (Redis or database store, one instance; AdminJS's own then finds
//   `req.session` set and does nothing);
// - every request of a logged-in session re-reads the account (UsersService.sessionUser): a
//   deactivation, a role change, a password change, "End sessions" or "log out everywhere" (all
//   move the account's token version), or a second factor the session was not opened with, end the
//   session at that request — it is destroyed in the store and the request is sent to the login
//   page, as AdminJS does with an expired session;
// - POST /admin/login: the password through the shared LoginGate, then a new session id
//   (`regenerate`: a cookie from before the login never becomes a staff session). An account with a
//   second factor gets a short-lived pending marker instead of a session and is sent to
//   /admin/login/totp, which asks for the code (or enrols an account whose role requires one) and
//   opens the session; every code takes a point from the same login throttle;
// - /admin/two-factor: a signed-in staff member's own enrolment (QR code, key, recovery codes).
//
// The pages here are plain HTML without scripts (the panel's CSP allows none without its nonce).
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import session, { type SessionData, type SessionOptions } from 'express-session';
import type { Logger } from 'pino';
import { langOf, t } from '../src/http/i18n.js';
import type { LoginGate } from '../src/http/login.js';
import type { PanelSessionStore } from '../src/http/session-store.js';
import { STAFF_ROLES } from '../src/modules/users/roles.js';
import { StaffMfaError, type StaffMfaService } from '../src/modules/users/staff-mfa.service.js';
import type { SessionAccount, UsersService } from '../src/modules/users/users.service.js';
import type { AdminSessionUser } from './access.js';
import { qrSvg } from './qr.js';
import type { PanelLanguage } from '../src/modules/users/user.entity.js';
import { DEFAULT_PANEL_LANGUAGE, PANEL_FONT, panelText, type PanelTextKey } from './locale/index.js';

/** How long a correct password waits for its second factor. */
export const PENDING_LOGIN_MS = 5 * 60 * 1000;

declare module 'express-session' {
  interface SessionData {
    adminUser?: AdminSessionUser;
    /** What the session was opened with; compared with the account on every request. */
    staff?: { id: number; tv: number; mfa: boolean };
    /** A correct password waiting for its second factor. */
    pendingLogin?: { id: number; tv: number; at: number; redirectTo?: string };
    redirectTo?: string;
  }
}

interface AdminLike {
  options: { rootPath: string; loginPath: string; logoutPath: string };
  renderLogin(props: { action: string; errorMessage: string | null }): Promise<string>;
}

export interface PanelAuthDeps {
  admin: AdminLike;
  loginGate: LoginGate;
  users: UsersService;
  mfa: StaffMfaService;
  store: PanelSessionStore;
  sessionOptions: SessionOptions;
  logger?: Logger;
}

const promisify = (fn: (cb: (err?: unknown) => void) => void) => new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
const regenerate = (req: Request) => promisify((cb) => req.session.regenerate(cb));
const save = (req: Request) => promisify((cb) => req.session.save(cb));

/** Does the session still stand for the account as it is now? */
export function sessionMatches(sess: Pick<SessionData, 'adminUser' | 'staff'>, account: SessionAccount | null, mfa: Pick<StaffMfaService, 'needed'>): boolean {
  const { adminUser, staff } = sess;
  if (!adminUser || !staff || !account) return false;
  if (Number(adminUser.id) !== account.id || staff.id !== account.id) return false;
  if (!account.isActive || !STAFF_ROLES.includes(account.role) || account.role !== adminUser.role) return false;
  if (staff.tv !== account.tokenVersion) return false;
  return staff.mfa || !mfa.needed(account);
}

const field = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

// ---- pages -----------------------------------------------------------------------------------
// In the staff member's panel language (users.panel_language; Korean by default), texts from the
// locale files (admin/locale, panelText).

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const langOfAccount = (account: { panelLanguage?: string | null; language?: string | null } | null | undefined): PanelLanguage =>
  (account?.panelLanguage ?? account?.language) === 'en' ? 'en' : 'ko';

function page(lang: PanelLanguage, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Marquee</title>
<style>
body{margin:0;font-family:${PANEL_FONT};background:#f6f7fb;color:#1c1c38}
main{max-width:480px;margin:48px auto;background:#fff;padding:32px 40px;box-shadow:0 1px 4px rgba(0,0,0,.1)}
h1{font-size:22px;font-weight:400;margin:0 0 16px}p{line-height:1.5}
label{display:block;margin:16px 0 6px;font-size:14px}
input{width:100%;box-sizing:border-box;padding:10px;font-size:18px;letter-spacing:2px;border:1px solid #c0c0ca}
button{margin-top:20px;padding:10px 24px;background:#3040d6;color:#fff;border:0;font-size:15px;cursor:pointer}
.error{background:#fde8e8;color:#9b1c1c;padding:10px 12px;margin:12px 0}
.key{font-family:monospace;font-size:16px;word-break:break-all;background:#f0f0f5;padding:8px}
.codes{font-family:monospace;font-size:16px;columns:2;padding-left:20px}
.qr{text-align:center;margin:16px 0}small{color:#6b6b80}a{color:#3040d6}
</style></head>
<body><main>${body}</main></body></html>`;
}

const errorBox = (message?: string) => (message ? `<p class="error" role="alert">${esc(message)}</p>` : '');

function codeForm(lang: PanelLanguage, action: string, opts: { error?: string; cancel: string }): string {
  const t = (key: PanelTextKey) => esc(panelText(lang, key));
  return page(
    lang,
    panelText(lang, 'tfaTitle'),
    `<h1>${t('tfaTitle')}</h1>
<p>${t('tfaEnterCode')}</p>${errorBox(opts.error)}
<form method="POST" action="${esc(action)}">
<label for="code">${t('tfaCode')}</label>
<input id="code" name="code" autocomplete="one-time-code" inputmode="text" autofocus required maxlength="64">
<button type="submit" data-testid="totp-verify">${t('tfaVerify')}</button>
</form>
<p><small><a href="${esc(opts.cancel)}">${t('tfaCancelLogin')}</a></small></p>`,
  );
}

function enrolForm(lang: PanelLanguage, action: string, enrolment: { secret: string; uri: string }, opts: { error?: string; required: boolean; cancel: { href: string; label: string } }): string {
  const t = (key: PanelTextKey) => esc(panelText(lang, key));
  const grouped = enrolment.secret.match(/.{1,4}/g)!.join(' ');
  return page(
    lang,
    panelText(lang, 'tfaSetupTitle'),
    `<h1>${t('tfaSetupTitle')}</h1>
<p>${opts.required ? `${t('tfaRoleNeeds')} ` : ''}${t('tfaScan')}</p>
<div class="qr" data-testid="totp-qr">${qrSvg(enrolment.uri, 4)}</div>
<p>${t('tfaKey')}: <span class="key" data-testid="totp-secret">${esc(grouped)}</span></p>
<p><small>otpauth URI: <span class="key" data-testid="totp-uri">${esc(enrolment.uri)}</span></small></p>${errorBox(opts.error)}
<form method="POST" action="${esc(action)}">
<label for="code">${t('tfaCodeFromApp')}</label>
<input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9 ]*" required maxlength="8">
<button type="submit" data-testid="totp-turn-on">${t('tfaTurnOn')}</button>
</form>
<p><small><a href="${esc(opts.cancel.href)}">${esc(opts.cancel.label)}</a></small></p>`,
  );
}

function recoveryCodesPage(lang: PanelLanguage, codes: string[], next: string): string {
  const t = (key: PanelTextKey) => esc(panelText(lang, key));
  return page(
    lang,
    panelText(lang, 'tfaRecoveryTitle'),
    `<h1>${t('tfaIsOn')}</h1>
<p>${t('tfaKeepCodes')}</p>
<ol class="codes" data-testid="recovery-codes">${codes.map((c) => `<li>${esc(c)}</li>`).join('')}</ol>
<p><a href="${esc(next)}" data-testid="continue">${t('tfaContinue')}</a></p>`,
  );
}

function statusPage(lang: PanelLanguage, status: { enabledAt: Date | null; recoveryCodesLeft: number; required: boolean }, root: string): string {
  const t = (key: PanelTextKey) => esc(panelText(lang, key));
  return page(
    lang,
    panelText(lang, 'tfaTitle'),
    `<h1>${t('tfaTitle')}</h1>
<p data-testid="totp-status">${esc(panelText(lang, 'tfaStatus', { since: status.enabledAt?.toISOString() ?? '', left: status.recoveryCodesLeft }))}</p>
<p>${t(status.required ? 'tfaLost' : 'tfaLostOrHere')}</p>
<p><a href="${esc(root)}">${t('tfaBack')}</a></p>`,
  );
}

// ---- router ----------------------------------------------------------------------------------

export function panelAuthRouter(deps: PanelAuthDeps): Router {
  const { admin, loginGate, users, mfa, logger } = deps;
  const { rootPath, loginPath, logoutPath } = admin.options;
  const totpPath = `${loginPath}/totp`;
  const enrolPath = `${rootPath}/two-factor`;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const ipOf = (req: Request) => req.ip ?? 'unknown';
  const renderLogin = (errorMessage: string | null) => admin.renderLogin({ action: loginPath, errorMessage });

  router.use(session({ ...deps.sessionOptions, store: deps.store }) as RequestHandler);

  /** Opens the staff session under a new id. */
  async function openSession(req: Request, account: Pick<SessionAccount, 'id' | 'email' | 'role' | 'tokenVersion'> & { panelLanguage?: SessionAccount['panelLanguage'] }, withSecondFactor: boolean, redirectTo?: string) {
    await regenerate(req);
    req.session.adminUser = { id: String(account.id), email: account.email, role: account.role, title: account.role, language: account.panelLanguage ?? 'ko' };
    req.session.staff = { id: account.id, tv: account.tokenVersion, mfa: withSecondFactor };
    if (redirectTo) req.session.redirectTo = redirectTo;
    await save(req);
  }

  // Every request of a logged-in session: is the account still what the session was opened as?
  router.use(async (req, res, next) => {
    try {
      const sess = req.session;
      if (!sess?.adminUser) return next();
      const account = await users.sessionUser(Number(sess.adminUser.id));
      if (sessionMatches(sess, account, mfa)) {
        // The e-mail and the panel language follow the account (a language change applies at the next page).
        if (account && (sess.adminUser.email !== account.email || sess.adminUser.language !== account.panelLanguage)) sess.adminUser = { ...sess.adminUser, email: account.email, language: account.panelLanguage };
        return next();
      }
      logger?.info({ userId: sess.adminUser.id, path: req.originalUrl }, 'admin: session no longer matches its account; ended');
      await regenerate(req);
      if (req.path === '/login' || req.path.startsWith('/login/')) return next();
      res.redirect(302, loginPath);
    } catch (err) {
      next(err);
    }
  });

  const tooMany = async (req: Request, res: Response, seconds: number, html?: string) => {
    res.status(429).set('Retry-After', String(seconds));
    // The login page is in the panel's default language (Korean; its own link offers English).
    res.send(html ?? (await renderLogin(t(DEFAULT_PANEL_LANGUAGE, 'tooManyLogins', { n: seconds }))));
  };

  // The password step. (AdminJS's own POST /login handler is never reached.)
  router.post('/login', form, async (req, res, next) => {
    try {
      const ip = ipOf(req);
      const wait = await loginGate.checkIp(ip);
      if (wait > 0) {
        res.status(429).set('Retry-After', String(wait)).type('text/plain').send(t(langOf(req), 'tooManyLogins', { n: wait }));
        return;
      }
      const outcome = await loginGate.attempt(ip, field(req.body?.email), field(req.body?.password), { staffOnly: true });
      if (outcome.kind === 'blocked') return void (await tooMany(req, res, outcome.seconds));
      if (outcome.kind === 'failed') return void res.send(await renderLogin('invalidCredentials'));
      const { user } = outcome;
      const redirectTo = req.session.redirectTo;
      if (!outcome.secondFactor) {
        await openSession(req, user, false, redirectTo);
        return res.redirect(302, redirectTo ?? rootPath);
      }
      await regenerate(req);
      req.session.pendingLogin = { id: user.id, tv: user.tokenVersion, at: Date.now(), ...(redirectTo ? { redirectTo } : {}) };
      await save(req);
      res.redirect(302, totpPath);
    } catch (err) {
      next(err);
    }
  });

  /** The pending login of this session and its account, or null (then the pending marker is gone). */
  async function pending(req: Request) {
    const p = req.session.pendingLogin;
    if (!p) return null;
    const account = Date.now() - p.at <= PENDING_LOGIN_MS ? await users.sessionUser(p.id) : null;
    if (!account || !account.isActive || !STAFF_ROLES.includes(account.role) || account.tokenVersion !== p.tv) {
      delete req.session.pendingLogin;
      return null;
    }
    return { p, account };
  }

  router.get('/login/totp', async (req, res, next) => {
    try {
      const found = await pending(req);
      if (!found) return res.redirect(302, loginPath);
      const lang = langOfAccount(found.account);
      if (found.account.totpEnabledAt) return void res.send(codeForm(lang, totpPath, { cancel: logoutPath }));
      const enrolment = await mfa.beginEnrolment(found.account.id);
      res.send(enrolForm(lang, totpPath, enrolment, { required: true, cancel: { href: logoutPath, label: panelText(lang, 'tfaCancelLogin') } }));
    } catch (err) {
      next(err);
    }
  });

  router.post('/login/totp', form, async (req, res, next) => {
    try {
      const found = await pending(req);
      if (!found) return res.redirect(302, loginPath);
      const { p, account } = found;
      const lang = langOfAccount(account);
      const code = field(req.body?.code).trim();
      const enrolling = !account.totpEnabledAt;
      const outcome = await loginGate.secondFactor(ipOf(req), account.id, async () =>
        enrolling ? await mfa.confirmEnrolment(account.id, code.replace(/\s/g, '')) : await mfa.verify(account.id, code),
      );
      if (outcome.kind === 'blocked') {
        return void (await tooMany(req, res, outcome.seconds, codeForm(lang, totpPath, { error: t(lang, 'tooManyLogins', { n: outcome.seconds }), cancel: logoutPath })));
      }
      if (outcome.kind === 'failed') {
        res.status(401);
        if (!enrolling) return void res.send(codeForm(lang, totpPath, { error: panelText(lang, 'tfaWrongCode'), cancel: logoutPath }));
        const enrolment = await mfa.beginEnrolment(account.id);
        return void res.send(enrolForm(lang, totpPath, enrolment, { required: true, error: panelText(lang, 'tfaWrongEnrolCode'), cancel: { href: logoutPath, label: panelText(lang, 'tfaCancelLogin') } }));
      }
      const next = p.redirectTo ?? rootPath;
      await openSession(req, account, true, p.redirectTo);
      if (Array.isArray(outcome.value)) return void res.send(recoveryCodesPage(lang, outcome.value, next));
      res.redirect(302, next);
    } catch (err) {
      if (err instanceof StaffMfaError && err.code === 'already-enabled') return res.redirect(302, totpPath);
      next(err);
    }
  });

  // A signed-in staff member's own second factor: status, or enrolment.
  router.get('/two-factor', async (req, res, next) => {
    try {
      const me = req.session.adminUser;
      if (!me) return res.redirect(302, loginPath);
      const lang = langOfAccount(me);
      const status = await mfa.status(Number(me.id));
      if (status.enabled) return void res.send(statusPage(lang, status, rootPath));
      const enrolment = await mfa.beginEnrolment(Number(me.id));
      res.send(enrolForm(lang, enrolPath, enrolment, { required: status.required, cancel: { href: rootPath, label: panelText(lang, 'tfaBack') } }));
    } catch (err) {
      next(err);
    }
  });

  router.post('/two-factor', form, async (req, res, next) => {
    try {
      const me = req.session.adminUser;
      if (!me) return res.redirect(302, loginPath);
      const lang = langOfAccount(me);
      const id = Number(me.id);
      const outcome = await loginGate.secondFactor(ipOf(req), id, () => mfa.confirmEnrolment(id, field(req.body?.code).replace(/\s/g, '')));
      if (outcome.kind !== 'ok') {
        const enrolment = await mfa.beginEnrolment(id);
        const error = outcome.kind === 'blocked' ? t(lang, 'tooManyLogins', { n: outcome.seconds }) : panelText(lang, 'tfaWrongEnrolCode');
        if (outcome.kind === 'blocked') res.set('Retry-After', String(outcome.seconds));
        return void res.status(outcome.kind === 'blocked' ? 429 : 401).send(enrolForm(lang, enrolPath, enrolment, { required: false, error, cancel: { href: rootPath, label: panelText(lang, 'tfaBack') } }));
      }
      // A new second factor is a change of what the session stands for: a new session id.
      const account = await users.sessionUser(id);
      if (!account) return res.redirect(302, loginPath);
      await openSession(req, account, true);
      res.send(recoveryCodesPage(langOfAccount(account), outcome.value, rootPath));
    } catch (err) {
      if (err instanceof StaffMfaError && err.code === 'already-enabled') return res.redirect(302, enrolPath);
      next(err);
    }
  });

  return router;
}
