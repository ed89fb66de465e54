import { Alert, Group, Loader, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { leftOut, queryPhase, type QueryLike } from './query-phase.ts';

interface QueryStateProps<T> {
  query: QueryLike<T>;
  /** The page's own rule for "nothing to list"; without it, any answer is content. */
  isEmpty?: (data: NonNullable<T>) => boolean;
  /** Said when isEmpty holds. */
  empty?: string;
  /** Green for good news ("no active alarms"), gray otherwise. */
  emptyColor?: string;
  errorMessage?: string;
  unavailableMessage?: string;
  /** For a `{ items, total }` page: the "N of M shown" line under the content. */
  more?: (counts: { shown: number; total: number }) => string;
  /** Inside a panel: a small spinner and plain text instead of alerts. */
  compact?: boolean;
  children: (data: NonNullable<T>) => ReactNode;
}

/** The one loading / error / unavailable / empty pattern of the dashboard's lists (see queryPhase). */
export function QueryState<T>({ query, isEmpty, empty, emptyColor = 'gray', errorMessage, unavailableMessage, more, compact = false, children }: QueryStateProps<T>) {
  const { t } = useTranslation();
  const phase = queryPhase(query, isEmpty);
  if (phase === 'loading') {
    return compact ? (
      <Loader size="sm" aria-label={t('app.loading')} />
    ) : (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  if (phase === 'error') {
    return (
      <Alert color="red" role="alert">
        {errorMessage ?? t('app.loadFailed')}
      </Alert>
    );
  }
  const note = (text: string, color: string) =>
    compact ? (
      <Text c="dimmed" role="status">
        {text}
      </Text>
    ) : (
      <Alert color={color} role="status">
        {text}
      </Alert>
    );
  if (phase === 'unavailable') return note(unavailableMessage ?? t('app.unavailable'), 'gray');
  if (phase === 'empty') return note(empty ?? t('app.empty'), emptyColor);
  const data = query.data as NonNullable<T>;
  const counts = more ? leftOut(data) : null;
  return (
    <>
      {children(data)}
      {more && counts && (
        <Text size="sm" c="dimmed" mt="xs">
          {more(counts)}
        </Text>
      )}
    </>
  );
}
