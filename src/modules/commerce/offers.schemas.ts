// The one schema of each commerce definition that staff write — discounts, coupons, plans — used
// by the public API's routes (request validation and the OpenAPI document) and by the admin
// panel's forms (admin/resources/commerce.ts), so both refuse the same input with the same fields.
import { z } from 'zod';
import { looseBool } from '../shared/validation.js';
import { SUPPORTED_CURRENCIES } from './domain/money.js';

export const dateTime = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .nullable()
  .openapi({ description: 'ISO 8601 with offset; null = open' });
export const currency = z.enum(SUPPORTED_CURRENCIES as unknown as [string, ...string[]]);

export const discountFields = {
  name: z.string().trim().min(1).max(100),
  kind: z.enum(['partner', 'promotion']),
  type: z.enum(['percent', 'fixed']),
  value: z.number().int().positive().openapi({ description: 'percent: 1–100; fixed: minor units of `currency`' }),
  currency: currency.nullable().optional().openapi({ description: 'Required for fixed' }),
  valid_from: dateTime.optional(),
  valid_until: dateTime.optional(),
  plans: z.array(z.string().trim().min(1).max(40)).max(20).optional().openapi({ description: 'Plan codes it applies to; empty/absent = every plan' }),
  max_uses: z.number().int().positive().nullable().optional().openapi({ description: 'Total-use cap; null = none' }),
  active: looseBool.optional().openapi({ type: 'boolean' }),
};
export const discountCreateBody = z.object(discountFields).openapi('DiscountCreate');
export const discountUpdateBody = z
  .object(discountFields)
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'i18n:commerceAnyField', path: ['non_field_errors'] })
  .openapi('DiscountUpdate');
export const couponCreateBody = z
  .object({
    code: z.string().trim().refine((v) => /^[A-Za-z0-9_-]{3,40}$/.test(v), 'i18n:commerceCouponCode'),
    name: z.string().trim().min(1).max(100),
    type: z.enum(['percent', 'fixed']),
    value: z.number().int().positive(),
    currency: currency.nullable().optional(),
    min_amount: z.number().int().min(0).optional(),
    valid_from: dateTime.optional(),
    valid_until: dateTime.optional(),
    total_limit: z.number().int().positive().nullable().optional(),
    per_user_limit: z.number().int().min(1).max(100).optional(),
  })
  .openapi('CouponCreate');
const atLeastOne = (b: Record<string, unknown>) => Object.values(b).some((v) => v !== undefined);

/** Editing a coupon: any of its definition fields (the code stays: it is printed on issued coupons). */
export const couponUpdateBody = couponCreateBody
  .omit({ code: true })
  .partial()
  .refine(atLeastOne, { message: 'i18n:commerceAnyField', path: ['non_field_errors'] })
  .openapi('CouponUpdate');

const planFields = {
  code: z.string().trim().regex(/^[a-z0-9_-]{2,40}$/, 'i18n:invalid'),
  name: z.string().trim().min(1).max(100),
  interval: z.enum(['month', 'year']),
  price: z.number().int().positive().openapi({ description: 'Minor units of `currency`' }),
  currency,
  device_limit: z.number().int().min(1).max(20),
  active: looseBool.optional().openapi({ type: 'boolean' }),
};
export const planCreateBody = z.object(planFields).openapi('PlanCreate');
/** Editing a plan: its code stays (payments and discounts refer to it). */
export const planUpdateBody = z.object(planFields).omit({ code: true }).partial().refine(atLeastOne, { message: 'i18n:commerceAnyField', path: ['non_field_errors'] }).openapi('PlanUpdate');

export type DiscountCreate = z.output<typeof discountCreateBody>;
export type DiscountUpdate = z.output<typeof discountUpdateBody>;
export type CouponCreate = z.output<typeof couponCreateBody>;
export type CouponUpdate = z.output<typeof couponUpdateBody>;
export type PlanCreate = z.output<typeof planCreateBody>;
export type PlanUpdate = z.output<typeof planUpdateBody>;
