// Reads one record action's answer for a show page's panel (payment details, member activity):
// the data once loaded, `error` if the request failed, and nothing once the page has moved on.
import { useEffect, useState } from 'react';
import { ApiClient, type BasePropertyProps } from 'adminjs';

const api = new ApiClient();

export function useRecordAction<T>({ record, property }: Pick<BasePropertyProps, 'record' | 'property'>, actionName: string, pick: (data: Record<string, unknown>) => T): { data: T | null; error: boolean } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState(false);
  const recordId = record?.id;
  useEffect(() => {
    if (!recordId) return;
    let live = true;
    api
      .recordAction({ resourceId: property.resourceId, recordId, actionName })
      .then((res) => live && setData(pick(res.data as Record<string, unknown>)))
      .catch(() => live && setError(true));
    return () => {
      live = false;
    };
    // `pick` is a fixed function of the caller's
  }, [recordId, property.resourceId, actionName]);
  return { data, error };
}
