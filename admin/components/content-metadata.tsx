// A content's metadata, readable: duration, resolution, codecs, languages, subtitles and tags (the
// probe's fields and the staff's edits), instead of raw JSON. Updates itself when the status block
// reports that processing ended.
import React, { useEffect, useState } from 'react';
import { flat, useTranslation, ViewHelpers, type BasePropertyProps, type RecordJSON } from 'adminjs';
import { Badge, Box, Link, Text, ValueGroup } from '@adminjs/design-system';
import { formatDateTime } from './format.js';
import { CONTENT_REFRESHED } from './content-status.js';

const h = new ViewHelpers();
type Meta = {
  duration_seconds?: number | null;
  width?: number | null;
  height?: number | null;
  video_codec?: string | null;
  audio_codecs?: string[];
  audio_languages?: string[];
  subtitles?: string[];
  tags?: string[];
  bitrate?: number | null;
  container?: string | null;
  probed_at?: string | null;
};

function metaOf(params: RecordJSON['params'] | undefined): Meta {
  const v = params ? flat.get(params, 'metadata') : null;
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as Meta;
    } catch {
      return {};
    }
  }
  return (v && typeof v === 'object' ? v : {}) as Meta;
}

/** 7384 → "2:03:04". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  const [hh, mm, ss] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}` : `${mm}:${String(ss).padStart(2, '0')}`;
}

const list = (items: string[] | undefined, testId: string) =>
  items?.length ? (
    <Box flex flexWrap="wrap" style={{ gap: 4 }} data-testid={testId}>
      {items.map((x) => (
        <Badge key={x} outline variant="primary">
          {x}
        </Badge>
      ))}
    </Box>
  ) : (
    <Text color="grey60" data-testid={testId}>—</Text>
  );

const Row: React.FC<{ label: string; children: React.ReactNode }> = ({ label, children }) => (
  <Box flex mb="sm" style={{ gap: 12 }}>
    <Text color="grey60" style={{ width: 140, flex: '0 0 140px' }}>{label}</Text>
    <Box style={{ flex: 1 }}>{children}</Box>
  </Box>
);

const ContentMetadata: React.FC<BasePropertyProps> = ({ record, property }) => {
  const { translateProperty, tm } = useTranslation();
  const [meta, setMeta] = useState<Meta>(metaOf(record?.params));
  useEffect(() => setMeta(metaOf(record?.params)), [record]);
  useEffect(() => {
    const onFresh = (e: Event) => {
      const fresh = (e as CustomEvent<RecordJSON>).detail;
      if (fresh && String(fresh.id) === String(record?.id)) setMeta(metaOf(fresh.params));
    };
    window.addEventListener(CONTENT_REFRESHED, onFresh);
    return () => window.removeEventListener(CONTENT_REFRESHED, onFresh);
  }, [record?.id]);

  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      <Box data-testid="content-metadata">
        <Row label={tm('metaDuration')}><Text data-testid="meta-duration">{duration(meta.duration_seconds)}</Text></Row>
        <Row label={tm('metaResolution')}><Text data-testid="meta-resolution">{meta.width && meta.height ? `${meta.width} × ${meta.height}` : '—'}</Text></Row>
        <Row label={tm('metaVideoCodec')}><Text data-testid="meta-video-codec">{meta.video_codec ?? '—'}</Text></Row>
        <Row label={tm('metaAudioCodecs')}>{list(meta.audio_codecs, 'meta-audio-codecs')}</Row>
        <Row label={tm('metaAudioLanguages')}>{list(meta.audio_languages, 'meta-audio-languages')}</Row>
        <Row label={tm('metaSubtitles')}>{list(meta.subtitles, 'meta-subtitles')}</Row>
        <Row label={tm('metaTags')}>{list(meta.tags, 'meta-tags')}</Row>
        <Row label={tm('metaContainer')}><Text>{meta.container ?? '—'}{meta.bitrate ? ` · ${(meta.bitrate / 1_000_000).toFixed(2)} Mbit/s` : ''}</Text></Row>
        <Row label={tm('metaProbedAt')}><Text>{meta.probed_at ? formatDateTime(meta.probed_at) : tm('metaNotYet')}</Text></Row>
        {record?.id ? (
          <Link href={h.recordActionUrl({ resourceId: 'contents', recordId: String(record.id), actionName: 'metadata' })} data-testid="meta-edit-link">
            {tm('metaEditLink')}
          </Link>
        ) : null}
      </Box>
    </ValueGroup>
  );
};

export default ContentMetadata;
