// The movie list with a search box: it searches by title (the resource's title property, `name`)
// through the list's own `filters.name`, so paging, sorting and the filter drawer keep working.
import React, { useEffect, useState } from 'react';
import { List, useQueryParams, useTranslation, type ActionProps } from 'adminjs';
import { Box, Button, Input } from '@adminjs/design-system';

const MovieList: React.FC<ActionProps> = (props) => {
  const { filters, storeParams } = useQueryParams();
  const { tm } = useTranslation();
  const current = typeof (filters as Record<string, unknown> | undefined)?.name === 'string' ? String((filters as Record<string, unknown>).name) : '';
  const [q, setQ] = useState(current);
  useEffect(() => setQ(current), [current]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const next: Record<string, unknown> = { ...((filters as Record<string, unknown>) ?? {}) };
    if (q.trim()) next.name = q.trim();
    else delete next.name;
    storeParams({ filters: next, page: '1' });
  };

  return (
    <Box>
      <Box as="form" role="search" onSubmit={submit} flex mb="lg" style={{ gap: 8, maxWidth: 560 }}>
        <Input
          type="search"
          name="movie-search"
          aria-label={tm('movieSearch')}
          placeholder={tm('movieSearch')}
          value={q}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQ(e.target.value)}
          style={{ flex: 1 }}
        />
        <Button type="submit" variant="contained">
          {tm('movieSearchSubmit')}
        </Button>
      </Box>
      <List {...props} />
    </Box>
  );
};

export default MovieList;
