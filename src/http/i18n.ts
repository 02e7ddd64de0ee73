// Messages of the public API. Korean by default (the seed's clients expect DRF's Korean texts);
// English when the request prefers it (Accept-Language: en…). The texts live in the modules'
// catalogues, by code (src/modules/shared/catalogue.ts); this is the edge that picks the language.
import type { Request } from 'express';
import { translate, type MessageCode } from '../modules/shared/catalogue.js';
import type { Lang } from '../modules/shared/messages.js';

export type { Lang };
export type MessageKey = MessageCode;

export function langOf(req: Pick<Request, 'headers'>): Lang {
  const header = String(req.headers['accept-language'] ?? '').toLowerCase();
  const first = header.split(',')[0]?.trim() ?? '';
  return first.startsWith('en') ? 'en' : 'ko';
}

export function t(lang: Lang, key: MessageKey, vars: Record<string, unknown> = {}): string {
  return translate(lang, key, vars);
}
