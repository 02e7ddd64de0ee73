// A content's status. On the show page, while the file is being processed (the probe job reads its
// duration, resolution, codecs and languages), it asks the panel every few seconds until the
// processing ends, then shows the outcome and tells the metadata block (an event with the fresh record).
import React, { useEffect, useState } from 'react';
import { ApiClient, useTranslation, type BasePropertyProps, type RecordJSON } from 'adminjs';
import { Badge, Text, ValueGroup } from '@adminjs/design-system';

const api = new ApiClient();
const POLL_MS = 2000;
/** The show page stops asking after this long (a stuck job is for the queue monitor). */
const POLL_LIMIT_MS = 10 * 60_000;
export const CONTENT_REFRESHED = 'marquee:content-refreshed';

const VARIANT: Record<string, 'primary' | 'success' | 'danger' | 'secondary'> = { processing: 'primary', ready: 'success', invalid: 'danger', unavailable: 'secondary' };

const ContentStatus: React.FC<BasePropertyProps> = ({ record, property, where }) => {
  const { translateProperty, tm, tl } = useTranslation();
  const [status, setStatus] = useState(String(record?.params?.status ?? ''));
  const [reason, setReason] = useState(String(record?.params?.statusReason ?? ''));
  const id = record?.id;

  useEffect(() => {
    setStatus(String(record?.params?.status ?? ''));
    setReason(String(record?.params?.statusReason ?? ''));
  }, [record?.params?.status, record?.params?.statusReason]);

  useEffect(() => {
    if (where !== 'show' || status !== 'processing' || !id) return undefined;
    const until = Date.now() + POLL_LIMIT_MS;
    const timer = setInterval(async () => {
      if (Date.now() > until) return clearInterval(timer);
      try {
        const res = await api.recordAction({ resourceId: 'contents', recordId: String(id), actionName: 'show' });
        const fresh = res.data.record as RecordJSON | undefined;
        if (!fresh) return;
        const next = String(fresh.params.status ?? '');
        if (next !== 'processing') {
          setStatus(next);
          setReason(String(fresh.params.statusReason ?? ''));
          window.dispatchEvent(new CustomEvent(CONTENT_REFRESHED, { detail: fresh }));
        }
      } catch {
        /* the next tick tries again */
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [where, status, id]);

  const badge = (
    <Badge variant={VARIANT[status] ?? 'secondary'} data-testid="content-status" data-status={status}>
      {status === 'processing' ? tm('contentProcessing') : status ? tl(`status.${status}`, undefined, { defaultValue: status }) : '—'}
    </Badge>
  );
  if (where !== 'show') return badge;
  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      {badge}
      {status === 'processing' ? <Text mt="sm" color="grey60" style={{ fontSize: 12 }}>{tm('contentReading')}</Text> : null}
      {reason && status !== 'ready' ? <Text mt="sm" data-testid="content-status-reason">{reason}</Text> : null}
    </ValueGroup>
  );
};

export default ContentStatus;
