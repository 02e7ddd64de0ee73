// A money amount in lists and show pages: ₩12,900 · US$12.90 (minor units, with the record's own
// currency from its `currency` property; KRW when it has none). Set on money properties by
// admin/formatting.ts.
import React from 'react';
import { ValueGroup } from '@adminjs/design-system';
import { useTranslation, type BasePropertyProps } from 'adminjs';
import { formatMoney } from './format.js';

const Money: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const { translateProperty } = useTranslation();
  const raw = record?.params?.[property.path];
  const currency = String(record?.params?.currency || 'KRW');
  const percent = property.path === 'value' && record?.params?.type === 'percent';
  const value = (
    <span data-testid="money" data-currency={currency} style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
      {percent ? `${raw}%` : formatMoney(raw, currency)}
    </span>
  );
  if (where !== 'show') return value;
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{value}</ValueGroup>;
};

export default Money;
