// The panel's login page (issue 14 §1, §8): Marquee's own, server-rendered HTML with no script at
// all — AdminJS's login page loads the whole 3.5 MB application to draw two fields. Same form as
// AdminJS's (POST `email`, `password` to the login path, answered by admin/panel-auth.ts), in
// Korean unless asked otherwise (`?lang=en`, or the staff member's language after a logout).
import type { PanelLanguage } from '../src/modules/users/user.entity.js';
import { PANEL_TRANSLATIONS } from './locale/index.js';

const TEXT = {
  ko: { title: '로그인', heading: 'Marquee 관리자', intro: '직원 전용 관리자 패널입니다. 회사 계정으로 로그인하세요.', email: '이메일', password: '비밀번호', submit: '로그인', other: 'English', otherLang: 'en' },
  en: { title: 'Log in', heading: 'Marquee admin', intro: 'The staff back office. Log in with your company account.', email: 'E-mail', password: 'Password', submit: 'Log in', other: '한국어', otherLang: 'ko' },
} as const;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** An error key of AdminJS's (`invalidCredentials`) in the page's language, or the message as given. */
function errorText(lang: PanelLanguage, message: string): string {
  const messages = (PANEL_TRANSLATIONS[lang].messages ?? {}) as Record<string, string>;
  if (messages[message]) return messages[message];
  if (message === 'invalidCredentials') return lang === 'ko' ? '이메일 또는 비밀번호가 올바르지 않습니다' : 'Wrong e-mail and/or password';
  return message;
}

export interface LoginPageOptions {
  action: string;
  errorMessage?: string | null;
  lang: PanelLanguage;
  /** Hashed asset URLs (admin/assets.ts). */
  asset: (name: string) => string | undefined;
}

export function loginPage(o: LoginPageOptions): string {
  const t = TEXT[o.lang];
  const css = o.asset('panel.css');
  const logo = o.asset('logo.svg');
  const favicon = o.asset('favicon.svg');
  const error = o.errorMessage ? `<p class="mq-error" role="alert" data-testid="login-error">${esc(errorText(o.lang, o.errorMessage))}</p>` : '';
  return `<!DOCTYPE html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(t.title)} · Marquee</title>
${favicon ? `<link rel="icon" type="image/svg+xml" href="${favicon}">` : ''}
${css ? `<link rel="stylesheet" href="${css}">` : ''}
</head>
<body class="mq-login">
<main class="mq-login-card" data-testid="login-page">
<header>${logo ? `<img src="${logo}" alt="Marquee" width="168" height="40">` : '<strong>Marquee</strong>'}
<h1>${esc(t.heading)}</h1>
<p>${esc(t.intro)}</p></header>
${error}
<form method="post" action="${esc(o.action)}" data-testid="login-form">
<label for="email">${esc(t.email)}</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus>
<label for="password">${esc(t.password)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" data-testid="login-submit">${esc(t.submit)}</button>
</form>
<p class="mq-lang"><a href="${esc(o.action)}?lang=${t.otherLang}" lang="${t.otherLang}" data-testid="login-language">${esc(t.other)}</a></p>
</main>
</body>
</html>
`;
}
