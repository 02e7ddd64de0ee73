// The poster field of the movie form: a preview, an upload (the file goes to the resource action
// "uploadPoster" with a progress bar; the server sniffs the bytes — JPEG, PNG or WebP — and stores
// it under /media/posters/), or an http(s) URL typed in. Saving the movie keeps the new poster.
import React, { useState } from 'react';
import { useTranslation, type EditPropertyProps } from 'adminjs';
import { Box, FormGroup, FormMessage, Input, Label, Text } from '@adminjs/design-system';
import { panelRootPath } from './format.js';
import { isPosterUrl } from './poster.js';


/** Upload with progress (fetch has no upload progress): resolves with the status and the JSON body. */
function upload(file: File, onProgress: (fraction: number) => void): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${panelRootPath()}/api/resources/movies/actions/uploadPoster`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => resolve({ status: xhr.status, body: (xhr.response ?? {}) as Record<string, unknown> });
    xhr.onerror = () => reject(new Error('network'));
    const data = new FormData();
    data.append('file', file);
    xhr.send(data);
  });
}

const PosterEdit: React.FC<EditPropertyProps> = ({ property, record, onChange }) => {
  const { translateProperty, tm } = useTranslation();
  const value = String(record.params?.[property.path] ?? '');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const serverError = record.errors?.[property.path]?.message;

  const choose = async (e: React.ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setError(null);
    setProgress(0);
    try {
      const res = await upload(file, setProgress);
      const poster = res.body.poster as { url?: string } | undefined;
      if (res.status === 200 && poster?.url) onChange(property.path, poster.url);
      else {
        const fields = res.body as { file?: string[]; message?: string };
        setError(fields.file?.join(' ') ?? fields.message ?? tm('posterRefused', undefined, { status: res.status }));
      }
    } catch {
      setError(tm('uploadFailed'));
    } finally {
      setProgress(null);
    }
  };

  return (
    <FormGroup error={!!(error || serverError)} data-testid="poster-edit">
      <Label htmlFor="poster-url">{translateProperty(property.label, property.resourceId)}</Label>
      <Box flex flexWrap="wrap" style={{ gap: 16 }} alignItems="flex-start">
        <Box style={{ width: 120, height: 172, background: '#eef0f8', borderRadius: 4, overflow: 'hidden', flex: '0 0 auto' }}>
          {isPosterUrl(value) ? <img src={value} alt={tm('posterPreview')} data-testid="poster-preview" width={120} height={172} style={{ objectFit: 'cover', display: 'block' }} referrerPolicy="no-referrer" /> : <Text color="grey60" p="default">{tm('posterNone')}</Text>}
        </Box>
        <Box style={{ flex: '1 1 240px' }}>
          <input id="poster-file" data-testid="poster-file" type="file" accept="image/jpeg,image/png,image/webp" onChange={choose} disabled={progress !== null} />
          {progress !== null ? (
            <Box mt="default" data-testid="poster-progress">
              <progress max={1} value={progress} style={{ width: '100%' }} />
              <Text style={{ fontSize: 12 }}>{tm('uploadingPercent', undefined, { percent: Math.round(progress * 100) })}</Text>
            </Box>
          ) : null}
          <Text mt="default" color="grey60" style={{ fontSize: 12 }}>{tm('posterHint')}</Text>
          <Input id="poster-url" name={property.path} value={value} onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(property.path, e.target.value)} style={{ width: '100%' }} />
        </Box>
      </Box>
      <FormMessage data-testid="poster-error">{error ?? serverError}</FormMessage>
    </FormGroup>
  );
};

export default PosterEdit;
