// Movie poster in the list (a small thumbnail) and on the show page. Only http(s) URLs and posters
// uploaded in the panel (/media/posters/…) are rendered as images; anything else is shown as text,
// never put in an <img src>.
import React from 'react';
import { useTranslation, type BasePropertyProps } from 'adminjs';
import { Box, Text, ValueGroup } from '@adminjs/design-system';

/** An http(s) URL, or the path of a poster stored under /media/posters/. */
export const isPosterUrl = (v: unknown): v is string => {
  if (typeof v === 'string' && /^\/media\/posters\/[0-9a-f]{32}\.(jpeg|png|webp)$/.test(v)) return true;
  if (typeof v !== 'string' || !/^https?:\/\//i.test(v)) return false;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};

const Poster: React.FC<BasePropertyProps> = ({ record, property, where }) => {
  const { translateProperty, tm } = useTranslation();
  const url = record?.params?.[property.path];
  const name = String(record?.params?.name ?? record?.title ?? '');
  const small = where === 'list';
  const image = isPosterUrl(url) ? (
    <img
      src={url}
      alt={name ? tm('posterOf', undefined, { name }) : tm('posterAlt')}
      width={small ? 36 : 160}
      height={small ? 52 : 230}
      loading="lazy"
      referrerPolicy="no-referrer"
      data-testid={small ? 'poster-thumb' : 'poster-image'}
      style={{ objectFit: 'cover', borderRadius: 3, display: 'block', background: '#eef0f8' }}
    />
  ) : null;
  if (small) return image ?? <Text color="grey60">—</Text>;
  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      {image}
      <Box mt="sm">
        <Text color="grey60" style={{ wordBreak: 'break-all' }}>
          {typeof url === 'string' && url ? url : '—'}
        </Text>
      </Box>
    </ValueGroup>
  );
};

export default Poster;
