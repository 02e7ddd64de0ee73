// The panel's language and branding (issue 14 §1). Korean by default; a staff member who chose
// English (users.panel_language, the "언어 / Language" page) gets English: the session's
// currentAdmin carries it as `language` (admin/panel-auth.ts), and AdminJS asks this function for
// every page, so `<html lang>`, every label and the date picker follow it.
import type { BrandingOptions, CurrentAdmin, LocaleTranslations } from 'adminjs';
import { PANEL_LANGUAGES, type PanelLanguage } from '../../src/modules/users/user.entity.js';
import { en, enTexts } from './en.js';
import { ko, koTexts, type PanelTextKey } from './ko.js';

export type { PanelTextKey };

export const DEFAULT_PANEL_LANGUAGE: PanelLanguage = 'ko';
export const PANEL_TRANSLATIONS: Record<PanelLanguage, LocaleTranslations> = { ko, en };

export function panelLanguageOf(admin: CurrentAdmin | undefined | null): PanelLanguage {
  const lang = (admin as { language?: unknown } | undefined | null)?.language;
  return typeof lang === 'string' && (PANEL_LANGUAGES as readonly string[]).includes(lang) ? (lang as PanelLanguage) : DEFAULT_PANEL_LANGUAGE;
}

const TEXTS: Record<PanelLanguage, Record<PanelTextKey, string>> = { ko: koTexts, en: enTexts };

/**
 * A text of the locale files in the staff member's language, for what the server writes (notices,
 * a bulk row's outcome, the timeline, the two-factor pages): the same texts the screens read with
 * AdminJS's translateMessage, `{{name}}` filled in the same way.
 */
export function panelText(lang: PanelLanguage, key: PanelTextKey, vars: Record<string, unknown> = {}): string {
  return TEXTS[lang][key].replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (vars[name] === undefined || vars[name] === null ? whole : String(vars[name])));
}

/** Whether `key` names a text of the locale files (for keys built from a stored value, e.g. `tlSubscription_${kind}`). */
export function isPanelTextKey(key: string): key is PanelTextKey {
  return Object.hasOwn(koTexts, key);
}

/** A stored value (a status) as the locale files label it (labels.<property>.<value>), else as stored. */
export function panelValue(lang: PanelLanguage, property: string, value: string): string {
  const labels = (PANEL_TRANSLATIONS[lang].labels ?? {}) as Record<string, unknown>;
  const byValue = labels[property];
  const text = byValue && typeof byValue === 'object' ? (byValue as Record<string, unknown>)[value] : undefined;
  return typeof text === 'string' ? text : value;
}

/** AdminJS `locale` option: only the staff member's language is offered (they change it on the Language page). */
export async function panelLocale(admin?: CurrentAdmin) {
  const language = panelLanguageOf(admin);
  return { language, availableLanguages: [language], localeDetection: false, translations: { [language]: PANEL_TRANSLATIONS[language] } };
}

/** The system's fonts, Korean ones first where they exist: no web font is fetched. */
export const PANEL_FONT = "system-ui, -apple-system, 'Apple SD Gothic Neo', 'Noto Sans KR', 'Malgun Gothic', 'Segoe UI', Roboto, 'Noto Sans CJK KR', sans-serif";

/** AdminJS `branding`: Marquee's name, logo and favicon (content-hashed URLs once the assets are loaded). */
export function panelBranding(assetUrl: (name: string) => string | undefined = () => undefined) {
  return async (): Promise<BrandingOptions> => ({
    companyName: 'Marquee',
    withMadeWithLove: false,
    logo: assetUrl('logo.svg') ?? false,
    favicon: assetUrl('favicon.svg'),
    // design-system reads theme.font as one CSS font-family string (its type says a record).
    theme: { font: PANEL_FONT } as unknown as BrandingOptions['theme'],
  });
}
