// Which properties of which resources are money or watch grades (issue 14 §1), in one place so
// the resource files (owned by their domains) stay as they are: applied to the resources' options
// by admin/index.ts before AdminJS sees them. Money components read the record's own `currency`.
import type { ResourceWithOptions } from 'adminjs';

/** resource id → its money properties (integers in the minor unit of the record's `currency`). */
export const MONEY_PROPERTIES: Record<string, string[]> = {
  payments: ['amountList', 'amountDiscount', 'amountCoupon', 'amountTotal', 'refundedAmount'],
  refunds: ['amount'],
  plans: ['price'],
  // `value` is money only when the adjustment is `fixed`; a `percent` one is shown as "10%".
  discounts: ['value'],
  coupons: ['value', 'minAmount'],
};

/** resource id → properties holding a watch grade. */
export const GRADE_PROPERTIES: Record<string, string[]> = {
  movies: ['watchGrade'],
};

type Options = NonNullable<ResourceWithOptions['options']>;
type PropertyOptions = NonNullable<Options['properties']>[string];

function withComponents(options: Options, paths: string[], component: string): void {
  options.properties ??= {};
  for (const p of paths) {
    const current: PropertyOptions = options.properties[p] ?? {};
    // A resource that already set its own list/show component keeps it.
    options.properties[p] = { ...current, components: { list: component, show: component, ...(current.components ?? {}) } };
  }
}

/** Sets the money and grade components on the resources named above (mutates and returns them). */
export function applyFormatting<T extends ResourceWithOptions>(resources: T[], components: { Money: string; Grade: string }): T[] {
  for (const r of resources) {
    const id = r.options?.id;
    if (!id || !r.options) continue;
    if (MONEY_PROPERTIES[id]) withComponents(r.options, MONEY_PROPERTIES[id], components.Money);
    if (GRADE_PROPERTIES[id]) withComponents(r.options, GRADE_PROPERTIES[id], components.Grade);
  }
  return resources;
}
