// The panel's login page (issue 14 §1, §8): Marquee's own, server-rendered HTML with no script at
// all — AdminJS's login page loads the whole 3.5 MB application to draw two fields. Same form as
// AdminJS's (POST `email`, `password` to the login path, answered by admin/panel-auth.ts), in
// Korean unless asked otherwise (`?lang=en`, or the staff member's language after a logout).
import type { PanelLanguage } from '../src/modules/users/user.entity.js';
import { PANEL_TRANSLATIONS } from './locale/index.js';

/** The page's words: the locale files' (AdminJS's Login component keys, the panel's welcome label). */
function texts(lang: PanelLanguage) {
  const tr = PANEL_TRANSLATIONS[lang] as { components: { Login: { welcomeMessage: string; properties: { email: string; password: string }; loginButton: string }; LanguageSelector: { availableLanguages: Record<string, string> } }; labels: { loginWelcome: string } };
  const login = tr.components.Login;
  const otherLang: PanelLanguage = lang === 'ko' ? 'en' : 'ko';
  return { title: login.loginButton, heading: tr.labels.loginWelcome, intro: login.welcomeMessage, email: login.properties.email, password: login.properties.password, submit: login.loginButton, other: tr.components.LanguageSelector.availableLanguages[otherLang]!, otherLang };
}

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
  const t = texts(o.lang);
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
