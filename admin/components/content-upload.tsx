// Resource action "Upload" of contents: a file, a title and (optionally) the movie it belongs to.
// The form posts multipart data to the action; the server stores and probes the file.
import React, { useState } from 'react';
import { ApiClient, useNotice, type ActionProps, type RecordJSON } from 'adminjs';
import { Box, Button, FormGroup, FormMessage, Input, Label, SelectAsync, Text } from '@adminjs/design-system';
import { useNavigate } from 'react-router-dom';

const api = new ApiClient();
type Option = { value: string; label: string };

const ContentUpload: React.FC<ActionProps> = ({ resource }) => {
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [movie, setMovie] = useState<Option | null>(null);
  const [errors, setErrors] = useState<Record<string, { message: string }>>({});
  const [busy, setBusy] = useState(false);
  const notice = useNotice();
  const navigate = useNavigate();

  const loadMovies = async (query: string): Promise<Option[]> => {
    const records: RecordJSON[] = await api.searchRecords({ resourceId: 'movies', query });
    return records.map((r) => ({ value: r.id, label: `${r.title} (#${r.id})` }));
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) {
      setErrors({ file: { message: 'Choose a file.' } });
      return;
    }
    const data = new FormData();
    data.append('file', file);
    data.append('title', title);
    if (movie) data.append('movieId', movie.value);
    setBusy(true);
    try {
      const res = await api.resourceAction({ resourceId: resource.id, actionName: 'upload', method: 'post', data });
      const body = res.data as { notice?: { message: string; type: 'success' | 'error' }; errors?: Record<string, { message: string }>; redirectUrl?: string };
      setErrors(body.errors ?? {});
      if (body.notice) notice(body.notice);
      if (body.redirectUrl) navigate(body.redirectUrl.replace(/^https?:\/\/[^/]+/, ''));
    } catch {
      notice({ message: 'The upload failed.', type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box as="form" variant="white" onSubmit={submit} data-testid="content-upload">
      <Text mb="xl">Uploads a video file. Its metadata (duration, resolution, codecs, languages) is read from the file after upload.</Text>
      <FormGroup error={!!errors.file}>
        <Label required htmlFor="content-file">
          File
        </Label>
        <input id="content-file" type="file" name="file" accept="video/*,audio/*" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <FormMessage>{errors.file?.message}</FormMessage>
      </FormGroup>
      <FormGroup error={!!errors.title}>
        <Label htmlFor="content-title">Title</Label>
        <Input id="content-title" name="title" value={title} maxLength={200} placeholder="Defaults to the file name" onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTitle(e.target.value)} />
        <FormMessage>{errors.title?.message}</FormMessage>
      </FormGroup>
      <FormGroup error={!!errors.movieId}>
        <Label>Movie</Label>
        <SelectAsync cacheOptions defaultOptions isClearable value={movie} loadOptions={loadMovies} onChange={(o: unknown) => setMovie((o as Option | null) ?? null)} />
        <FormMessage>{errors.movieId?.message}</FormMessage>
      </FormGroup>
      <Button variant="contained" type="submit" disabled={busy || !file}>
        {busy ? 'Uploading…' : 'Upload'}
      </Button>
    </Box>
  );
};

export default ContentUpload;
