// Dates and times in lists and show pages (overrides AdminJS's DefaultDatetimeListProperty and
// DefaultDatetimeShowProperty for every resource): a moment is shown in the service's zone with the
// zone labelled ("2026-12-03 21:50 KST"); a calendar date stays as written.
import React from 'react';
import { ValueGroup } from '@adminjs/design-system';
import { useTranslation, type BasePropertyProps } from 'adminjs';
import { formatDateTime } from './format.js';

export function dateText(value: unknown, type: string): string {
  if (value === null || value === undefined || value === '') return '';
  if (type === 'date') return String(value).slice(0, 10);
  return formatDateTime(value as string);
}

const DatetimeValue: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const { translateProperty } = useTranslation();
  const raw = record?.params?.[property.path];
  const text = dateText(raw, property.type);
  const value = (
    <time data-testid="datetime-value" data-zone-formatted={property.type === 'date' ? undefined : 'true'} dateTime={raw ? String(raw) : undefined}>
      {text}
    </time>
  );
  if (where !== 'show') return value;
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{value}</ValueGroup>;
};

export default DatetimeValue;
