// DRF-style page-number pagination: {count, next, previous, results} with absolute URLs;
// a page past the last one is 404 {"detail": "…"}.
import type { Request } from 'express';
import { notFound } from './errors.js';
import { langOf, t } from './i18n.js';

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

export function pageRequest(page: number, pageSize: number): PageRequest {
  return { page, pageSize, offset: (page - 1) * pageSize };
}

function pageUrl(req: Request, publicUrl: string, page: number | null): string | null {
  if (page === null) return null;
  const base = publicUrl || `${req.protocol}://${req.get('host')}`;
  const url = new URL(req.originalUrl, base);
  if (page === 1) url.searchParams.delete('page');
  else url.searchParams.set('page', String(page));
  return url.toString();
}

/** Throws 404 when the page is past the last one (page 1 of an empty list is fine). */
export function assertPageExists(req: Request, pr: PageRequest, count: number): void {
  const last = Math.max(1, Math.ceil(count / pr.pageSize));
  if (pr.page > last) throw notFound(t(langOf(req), 'invalidPage'));
}

export function toPage<T>(req: Request, publicUrl: string, pr: PageRequest, count: number, results: T[]): Page<T> {
  assertPageExists(req, pr, count);
  const last = Math.max(1, Math.ceil(count / pr.pageSize));
  return {
    count,
    next: pageUrl(req, publicUrl, pr.page < last ? pr.page + 1 : null),
    previous: pageUrl(req, publicUrl, pr.page > 1 ? pr.page - 1 : null),
    results,
  };
}
