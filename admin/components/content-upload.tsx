// Resource action "Upload" of contents: a file, a title and (optionally) the movie it belongs to.
// The form posts multipart data to the action with a progress bar (XHR upload progress: fetch has
// none); the server stores the file and queues its probe, and the show page it lands on follows
// the processing until it ends.
import React, { useState } from 'react';
import { ApiClient, useNotice, useTranslation, type ActionProps, type RecordJSON } from 'adminjs';
import { Box, Button, FormGroup, FormMessage, Input, Label, SelectAsync, Text } from '@adminjs/design-system';
import { useNavigate } from 'react-router-dom';
import { panelRootPath } from './format.js';

const api = new ApiClient();
type Option = { value: string; label: string };
type UploadAnswer = { notice?: { message: string; type: 'success' | 'error' }; errors?: Record<string, { message: string }>; redirectUrl?: string };

/** POSTs the form to the action, reporting the share of bytes sent. */
function send(resourceId: string, data: FormData, onProgress: (fraction: number) => void): Promise<{ status: number; body: UploadAnswer }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const root = panelRootPath();
    xhr.open('POST', `${root}/api/resources/${encodeURIComponent(resourceId)}/actions/upload`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => resolve({ status: xhr.status, body: (xhr.response ?? {}) as UploadAnswer });
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(data);
  });
}

const ContentUpload: React.FC<ActionProps> = ({ resource }) => {
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [movie, setMovie] = useState<Option | null>(null);
  const [errors, setErrors] = useState<Record<string, { message: string }>>({});
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const notice = useNotice();
  const { tm } = useTranslation();
  const navigate = useNavigate();

  const loadMovies = async (query: string): Promise<Option[]> => {
    const records: RecordJSON[] = await api.searchRecords({ resourceId: 'movies', query });
    return records.map((r) => ({ value: r.id, label: `${r.title} (#${r.id})` }));
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) {
      setErrors({ file: { message: tm('uploadChooseFile') } });
      return;
    }
    const data = new FormData();
    data.append('file', file);
    data.append('title', title);
    if (movie) data.append('movieId', movie.value);
    setBusy(true);
    setProgress(0);
    try {
      const { status, body } = await send(resource.id, data, setProgress);
      if (status !== 200) throw new Error(`status ${status}`);
      setErrors(body.errors ?? {});
      if (body.notice) notice(body.notice);
      if (body.redirectUrl) navigate(body.redirectUrl.replace(/^https?:\/\/[^/]+/, ''));
    } catch {
      notice({ message: tm('uploadFailed'), type: 'error' });
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  return (
    <Box as="form" variant="white" onSubmit={submit} data-testid="content-upload">
      <Text mb="xl">{tm('uploadIntro')}</Text>
      <FormGroup error={!!errors.file}>
        <Label required htmlFor="content-file">
          {tm('uploadFile')}
        </Label>
        <input id="content-file" type="file" name="file" accept="video/*,audio/*" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <FormMessage>{errors.file?.message}</FormMessage>
      </FormGroup>
      <FormGroup error={!!errors.title}>
        <Label htmlFor="content-title">{tm('uploadTitle')}</Label>
        <Input id="content-title" name="title" value={title} maxLength={200} placeholder={tm('uploadTitlePlaceholder')} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTitle(e.target.value)} />
        <FormMessage>{errors.title?.message}</FormMessage>
      </FormGroup>
      <FormGroup error={!!errors.movieId}>
        <Label>{tm('uploadMovie')}</Label>
        <SelectAsync cacheOptions defaultOptions isClearable value={movie} loadOptions={loadMovies} onChange={(o: unknown) => setMovie((o as Option | null) ?? null)} />
        <FormMessage>{errors.movieId?.message}</FormMessage>
      </FormGroup>
      {progress !== null ? (
        <Box mb="lg" data-testid="upload-progress" data-progress={Math.round(progress * 100)}>
          <progress max={1} value={progress} style={{ width: '100%', height: 12 }} />
          <Text style={{ fontSize: 12 }}>{progress < 1 ? tm('uploadingPercent', undefined, { percent: Math.round(progress * 100) }) : tm('uploadStoring')}</Text>
        </Box>
      ) : null}
      <Button variant="contained" type="submit" disabled={busy || !file} data-testid="upload-submit">
        {busy ? tm('uploadBusy') : tm('uploadSubmit')}
      </Button>
    </Box>
  );
};

export default ContentUpload;
