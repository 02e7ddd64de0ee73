// A watch grade as the catalog writes it ("12세 관람가", never "12 세 관람가").
import React from 'react';
import { ValueGroup } from '@adminjs/design-system';
import { useTranslation, type BasePropertyProps } from 'adminjs';
import { formatGrade } from './format.js';

const Grade: React.FC<BasePropertyProps> = ({ property, record, where }) => {
  const { translateProperty } = useTranslation();
  const value = <span data-testid="watch-grade">{formatGrade(record?.params?.[property.path] as string | undefined)}</span>;
  if (where !== 'show') return value;
  return <ValueGroup label={translateProperty(property.label, property.resourceId)}>{value}</ValueGroup>;
};

export default Grade;
