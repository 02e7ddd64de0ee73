// On the movie form (new and edit): its genres (tick boxes) and its credits (rows of person, role,
// character and billing order, moved up and down). Both are saved with the movie by the catalog
// service in one transaction; a refused row shows its error under the row.
import React, { useEffect, useState } from 'react';
import { ApiClient, flat, useTranslation, type EditPropertyProps, type RecordJSON } from 'adminjs';
import { Box, Button, FormGroup, FormMessage, Input, Label, SelectAsync, Text } from '@adminjs/design-system';

const api = new ApiClient();
const ROLES = ['director', 'actor'] as const;

type Credit = { person: string; personName: string; role: string; character: string; position: string };
type Option = { value: string; label: string };

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

function creditsOf(params: RecordJSON['params']): Credit[] {
  const list = flat.get(params, 'credits');
  if (!Array.isArray(list)) return [];
  return list.map((c: Record<string, unknown>) => ({ person: str(c.person), personName: str(c.personName), role: str(c.role) || 'actor', character: str(c.character), position: str(c.position) }));
}

const GenresEdit: React.FC<EditPropertyProps> = ({ record, onChange, property }) => {
  const { translateProperty, tm } = useTranslation();
  const [all, setAll] = useState<Array<{ id: string; name: string }> | null>(null);
  const selected = ((flat.get(record.params, 'genres') as unknown[] | undefined) ?? []).map(String);
  const error = record.errors?.genres?.message;

  useEffect(() => {
    let live = true;
    api
      .resourceAction({ resourceId: 'genres', actionName: 'list', params: { perPage: 500, sortBy: 'name', direction: 'asc' } })
      .then((res) => live && setAll(((res.data.records ?? []) as RecordJSON[]).map((r) => ({ id: String(r.id), name: String(r.params.name ?? r.title) }))))
      .catch(() => live && setAll([]));
    return () => {
      live = false;
    };
  }, []);

  const toggle = (id: string) => onChange(property.path, selected.includes(id) ? selected.filter((g) => g !== id) : [...selected, id]);

  return (
    <FormGroup error={!!error} data-testid="movie-genres-edit">
      <Label>{translateProperty(property.label, property.resourceId)}</Label>
      {all === null ? <Text color="grey60">{tm('loading')}</Text> : null}
      <Box flex flexWrap="wrap" style={{ gap: 8 }}>
        {(all ?? []).map((g) => (
          <label key={g.id} data-css="genre-option" style={{ display: 'inline-flex', alignItems: 'center', gap: 4, padding: '4px 8px', border: '1px solid #c0c4d6', borderRadius: 14, cursor: 'pointer', background: selected.includes(g.id) ? '#e8ebfc' : '#fff' }}>
            <input type="checkbox" name="genres" value={g.id} checked={selected.includes(g.id)} onChange={() => toggle(g.id)} />
            {g.name}
          </label>
        ))}
      </Box>
      <FormMessage>{error}</FormMessage>
    </FormGroup>
  );
};

const CreditsEdit: React.FC<EditPropertyProps> = ({ record, onChange, property }) => {
  const { translateProperty, tm, tl } = useTranslation();
  const rows = creditsOf(record.params);
  const errors = record.errors ?? {};
  const set = (next: Credit[]) => onChange(property.path, next.map((r, i) => ({ ...r, position: String(i) })));
  const update = (i: number, patch: Partial<Credit>) => set(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const move = (i: number, by: number) => {
    const j = i + by;
    if (j < 0 || j >= rows.length) return;
    const next = [...rows];
    [next[i], next[j]] = [next[j]!, next[i]!];
    set(next);
  };
  const loadPeople = async (query: string): Promise<Option[]> => {
    const found: RecordJSON[] = await api.searchRecords({ resourceId: 'people', query });
    return found.map((p) => ({ value: String(p.id), label: `${p.title} (#${p.id})` }));
  };

  return (
    <FormGroup error={!!errors.credits} data-testid="movie-credits-edit">
      <Label>{translateProperty(property.label, property.resourceId)}</Label>
      <Text color="grey60" mb="default" style={{ fontSize: 12 }}>{tm('relBillingOrder')}</Text>
      {rows.map((r, i) => {
        const rowError = ['person', 'role', 'character', 'position'].map((f) => errors[`credits.${i}.${f}`]?.message).filter(Boolean).join(' ');
        return (
          <Box key={i} data-testid={`credit-row-${i}`} data-css="credit-row" mb="default" p="default" style={{ border: `1px solid ${rowError ? '#c20012' : '#e4e6ef'}`, borderRadius: 4 }}>
            <Box flex flexWrap="wrap" alignItems="center" style={{ gap: 8 }}>
              <Text style={{ width: 24, fontWeight: 600 }} data-testid={`credit-order-${i}`}>{i + 1}</Text>
              <Box style={{ flex: '2 1 200px', minWidth: 180 }}>
                <SelectAsync
                  inputId={`credit-person-${i}`}
                  cacheOptions
                  defaultOptions
                  placeholder={tm('relPerson')}
                  value={r.person ? { value: r.person, label: r.personName || `#${r.person}` } : null}
                  loadOptions={loadPeople}
                  onChange={(o: unknown) => {
                    const opt = o as Option | null;
                    update(i, { person: opt?.value ?? '', personName: opt?.label.replace(/ \(#\d+\)$/, '') ?? '' });
                  }}
                />
              </Box>
              <select name={`credits.${i}.role`} value={r.role} onChange={(e) => update(i, { role: e.target.value })} style={{ padding: 6 }}>
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {tl(`role.${role}`, undefined, { defaultValue: role })}
                  </option>
                ))}
              </select>
              <Input name={`credits.${i}.character`} value={r.character} maxLength={200} placeholder={tm('relCharacter')} style={{ flex: '1 1 140px' }} onChange={(e: React.ChangeEvent<HTMLInputElement>) => update(i, { character: e.target.value })} />
              <Button type="button" size="sm" variant="text" aria-label={tm('relMoveUp')} data-testid={`credit-up-${i}`} disabled={i === 0} onClick={() => move(i, -1)}>↑</Button>
              <Button type="button" size="sm" variant="text" aria-label={tm('relMoveDown')} data-testid={`credit-down-${i}`} disabled={i === rows.length - 1} onClick={() => move(i, 1)}>↓</Button>
              <Button type="button" size="sm" variant="text" aria-label={tm('relRemove')} data-testid={`credit-remove-${i}`} onClick={() => set(rows.filter((_, k) => k !== i))}>✕</Button>
            </Box>
            {rowError ? <FormMessage data-testid={`credit-error-${i}`}>{rowError}</FormMessage> : null}
          </Box>
        );
      })}
      <Button type="button" size="sm" data-testid="credit-add" onClick={() => set([...rows, { person: '', personName: '', role: 'actor', character: '', position: String(rows.length) }])}>
        {tm('relAddCredit')}
      </Button>
      <FormMessage>{errors.credits?.message}</FormMessage>
    </FormGroup>
  );
};

const MovieRelationsEdit: React.FC<EditPropertyProps> = (props) => (props.property.path === 'credits' ? <CreditsEdit {...props} /> : <GenresEdit {...props} />);

export default MovieRelationsEdit;
