// Entering dates and times (overrides DefaultDatetimeEditProperty): a moment is typed in the
// service's zone (labelled beside the field) and sent as ISO UTC; a calendar date is a native date
// input. Native inputs follow the page's language and fit a phone. Also gives AdminJS's own date
// picker (list filters) the Korean calendar when the panel is in Korean.
import React from 'react';
import { FormGroup, FormMessage, Input, Label, Text } from '@adminjs/design-system';
import { useTranslation, type EditPropertyProps } from 'adminjs';
import { ko } from 'date-fns/locale';
import { isoToZonedInput, panelLanguage, serviceZone, zoneLabel, zonedInputToIso } from './format.js';

declare global {
  interface Window {
    __localeData__?: Record<string, unknown>;
    __localeId__?: string;
  }
}

// react-datepicker (inside AdminJS's design system) reads its locales from these globals.
if (typeof window !== 'undefined' && panelLanguage() === 'ko') {
  window.__localeData__ = { ...(window.__localeData__ ?? {}), ko };
  window.__localeId__ = 'ko';
}

const DatetimeEdit: React.FC<EditPropertyProps> = ({ property, record, onChange }) => {
  const { translateProperty, translateMessage, tm } = useTranslation();
  const raw = record?.params?.[property.path];
  const error = record?.errors?.[property.path];
  const isDate = property.type === 'date';
  const value = isDate ? (raw ? String(raw).slice(0, 10) : '') : isoToZonedInput(raw);
  const id = `field-${property.path}`;
  return (
    <FormGroup error={!!error}>
      <Label htmlFor={id} required={property.isRequired}>
        {translateProperty(property.label, property.resourceId)}
      </Label>
      <Input
        id={id}
        name={property.path}
        type={isDate ? 'date' : 'datetime-local'}
        value={value}
        disabled={property.isDisabled}
        width={1}
        style={{ maxWidth: 320, boxSizing: 'border-box' }}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => {
          const v = e.target.value;
          onChange(property.path, isDate ? v : v ? (zonedInputToIso(v) ?? v) : '');
        }}
      />
      {isDate ? null : (
        <Text variant="sm" color="grey60" mt="sm" data-testid="datetime-zone">
          {translateMessage('zone', undefined, { zone: `${zoneLabel()} (${serviceZone()})` })}
        </Text>
      )}
      <FormMessage>{error ? tm(error.message, property.resourceId) : null}</FormMessage>
    </FormGroup>
  );
};

export default DatetimeEdit;
