// On a movie's show page: its genres (movie_genres) or its credits (movie_credits), read through
// the panel's record API, with links to the join records and to the movie form, where both are edited.
import React, { useEffect, useState } from 'react';
import { ApiClient, useTranslation, ViewHelpers, type BasePropertyProps, type RecordJSON } from 'adminjs';
import { Badge, Box, Link, Text, ValueGroup } from '@adminjs/design-system';

const api = new ApiClient();
const h = new ViewHelpers();

/** `empty`, `add`: the locale files' keys of the texts. */
const SOURCES: Record<string, { resourceId: string; reference: string; empty: string; add: string }> = {
  genres: { resourceId: 'movie_genres', reference: 'genreId', empty: 'relNoGenres', add: 'relEditGenres' },
  credits: { resourceId: 'movie_credits', reference: 'personId', empty: 'relNoCredits', add: 'relEditCredits' },
};

const MovieRelations: React.FC<BasePropertyProps> = ({ record, property }) => {
  const { translateProperty, tm, tl } = useTranslation();
  const source = SOURCES[property.path];
  const movieId = record?.id;
  const [rows, setRows] = useState<RecordJSON[] | null>(null);
  const [error, setError] = useState(false);

  useEffect(() => {
    if (!source || !movieId) return;
    let live = true;
    api
      .resourceAction({ resourceId: source.resourceId, actionName: 'list', params: { 'filters.movieId': movieId, perPage: 200 } })
      .then((res) => live && setRows((res.data.records ?? []) as RecordJSON[]))
      .catch(() => live && setError(true));
    return () => {
      live = false;
    };
  }, [source, movieId]);

  if (!source) return null;
  const nameOf = (r: RecordJSON) => r.populated?.[source.reference]?.title ?? `#${r.params[source.reference]}`;
  const sorted =
    property.path === 'credits' && rows
      ? [...rows].sort((a, b) => String(a.params.role).localeCompare(String(b.params.role)) * -1 || Number(a.params.position) - Number(b.params.position))
      : rows;

  return (
    <ValueGroup label={translateProperty(property.label, property.resourceId)}>
      <Box data-testid={`movie-${property.path}`}>
        {error && <Text color="error">{tm('relLoadFailed')}</Text>}
        {!error && rows === null && <Text color="grey60">{tm('loading')}</Text>}
        {sorted && !sorted.length && <Text color="grey60">{tm(source.empty)}</Text>}
        {sorted && sorted.length > 0 && (
          <Box flex flexWrap="wrap" style={{ gap: 8 }}>
            {sorted.map((r) => (
              <Link key={r.id} href={h.recordActionUrl({ resourceId: source.resourceId, recordId: r.id, actionName: 'show' })} style={{ textDecoration: 'none' }}>
                <Badge variant={r.params.role === 'director' ? 'primary' : 'light'} outline={property.path === 'credits' && r.params.role !== 'director'}>
                  {property.path === 'credits' ? `${tl(`role.${r.params.role}`, undefined, { defaultValue: String(r.params.role) })}: ${nameOf(r)}${r.params.character ? ` (${r.params.character})` : ''}` : nameOf(r)}
                </Badge>
              </Link>
            ))}
          </Box>
        )}
        {record?.id ? (
          <Box mt="default">
            <Link href={h.recordActionUrl({ resourceId: 'movies', recordId: String(record.id), actionName: 'edit' })} data-testid={`movie-${property.path}-edit-link`}>
              {tm(source.add)}
            </Link>
          </Box>
        ) : null}
      </Box>
    </ValueGroup>
  );
};

export default MovieRelations;
