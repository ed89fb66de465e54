import { Button, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { INBOX_KINDS, type InboxItem, type User } from '@airfleet/contracts';
import { usePageTitle, useSearchParamSetter } from '../../../components/page-hooks.ts';
import { QueryState } from '../../../components/query-state.tsx';
import { useSites } from '../../../lib/catalogue.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useInbox, useInboxLiveSync, useTechnicians, type InboxFilter } from '../api/service.ts';
import { InboxTable } from './inbox-table.tsx';

const FILTER_KEYS = ['region', 'site', 'customer', 'assignee', 'kind'] as const;

interface InboxPageProps {
  user: User;
  /** Composed by the app: the work-orders feature renders the "create work order" action of an item. */
  renderCreateWorkOrder: (item: InboxItem) => ReactNode;
}

/** One prioritised queue of what needs a technician: alarms, due services, condition tasks, inspections, requests. */
export function InboxPage({ user, renderCreateWorkOrder }: InboxPageProps) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const sites = useSites();
  const technicians = useTechnicians();
  useInboxLiveSync();

  const kindParam = params.get('kind');
  const filter: InboxFilter = {
    region: params.get('region') ?? undefined,
    siteId: params.get('site') ?? undefined,
    customerId: params.get('customer') ?? undefined,
    assignee: params.get('assignee') ?? undefined,
    kind: (INBOX_KINDS as readonly string[]).includes(kindParam ?? '') ? (kindParam as InboxFilter['kind']) : undefined,
  };
  const inbox = useInbox(filter);
  const filtered = FILTER_KEYS.some((k) => params.get(k));

  const set = useSearchParamSetter();
  usePageTitle(t('service.inbox.title'));

  const siteList = useMemo(() => [...(sites.data?.values() ?? [])], [sites.data]);
  const regions = useMemo(() => [...new Set(siteList.map((s) => s.region))].sort(), [siteList]);
  const customers = useMemo(() => [...new Map(siteList.map((s) => [s.customerId, s.customerName])).entries()].sort((a, b) => a[1].localeCompare(b[1])), [siteList]);
  const all = { value: '', label: t('service.common.all') };
  const techList = technicians.data ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={1} size="h2">
          {t('service.inbox.title')}
        </Title>
        {inbox.data && (
          <Text c="dimmed" size="sm" aria-live="polite" data-testid="inbox-count">
            {t('service.inbox.total', { count: inbox.data.total })} · {t('service.inbox.updatedAt', { time: formatDateTime(inbox.data.generatedAt, i18n.language) })}
          </Text>
        )}
      </Group>
      <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('service.common.filters')}>
        <NativeSelect
          label={t('service.inbox.filters.kind')}
          value={filter.kind ?? ''}
          onChange={(e) => set('kind', e.currentTarget.value)}
          data={[all, ...INBOX_KINDS.map((k) => ({ value: k, label: t(`service.inbox.kind.${k}`) }))]}
          w={180}
        />
        <NativeSelect
          label={t('service.inbox.filters.region')}
          value={filter.region ?? ''}
          onChange={(e) => set('region', e.currentTarget.value)}
          data={[all, ...regions.map((r) => ({ value: r, label: r }))]}
          w={150}
        />
        <NativeSelect
          label={t('service.inbox.filters.customer')}
          value={filter.customerId ?? ''}
          onChange={(e) => set('customer', e.currentTarget.value)}
          data={[all, ...customers.map(([id, name]) => ({ value: id, label: name }))]}
          w={200}
        />
        <NativeSelect
          label={t('service.inbox.filters.site')}
          value={filter.siteId ?? ''}
          onChange={(e) => set('site', e.currentTarget.value)}
          data={[
            all,
            ...siteList
              .filter((s) => (!filter.customerId || s.customerId === filter.customerId) && (!filter.region || s.region === filter.region))
              .map((s) => ({ value: s.id, label: `${s.name} (${s.customerName})` })),
          ]}
          w={{ base: '100%', sm: 280 }}
        />
        <NativeSelect
          label={t('service.inbox.filters.assignee')}
          value={filter.assignee ?? ''}
          onChange={(e) => set('assignee', e.currentTarget.value)}
          data={[
            all,
            { value: user.id, label: `${t('service.common.me')} (${user.name})` },
            { value: 'unassigned', label: t('service.common.unassigned') },
            ...techList.filter((tech) => tech.id !== user.id).map((tech) => ({ value: tech.id, label: tech.name })),
          ]}
          w={200}
        />
        {filtered && (
          <Button variant="subtle" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            {t('service.common.clearFilters')}
          </Button>
        )}
      </Group>
      <QueryState
        query={inbox}
        isEmpty={(d) => d.items.length === 0}
        empty={filtered ? t('service.inbox.emptyFiltered') : t('service.inbox.empty')}
        emptyColor={filtered ? 'gray' : 'green'}
        errorMessage={t('service.common.loadFailed')}
        unavailableMessage={t('service.common.unavailable')}
        more={(counts) => t('service.inbox.more', counts)}
      >
        {(data) => <InboxTable items={data.items} technicians={techList} renderCreateWorkOrder={renderCreateWorkOrder} />}
      </QueryState>
    </Stack>
  );
}
