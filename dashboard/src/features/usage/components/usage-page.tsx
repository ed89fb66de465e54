import { Alert, Button, Group, Loader, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { UsageGranularity } from '@airfleet/contracts';
import { LabelledSegments } from '../../../components/labelled-segments.tsx';
import { usePageTitle } from '../../../components/page-hooks.ts';
import { QueryState } from '../../../components/query-state.tsx';
import { useSites } from '../../../lib/catalogue.ts';
import { modelDisplayName } from '../../../lib/model-name.ts';
import { usageCsvPath, useMachineChoices, useSavings, useUsage } from '../api/usage.ts';
import { addDays, RANGE_PRESETS } from './usage-range.ts';
import { SavingsCards } from './savings-cards.tsx';
import { ReportEnergyChart } from './usage-chart.tsx';
import { printQuery, rememberedScope, useUsageUrl } from './usage-selection.ts';
import { UsageSummary } from './usage-summary.tsx';
import { MachinesTable, PeriodsTable } from './usage-tables.tsx';
import { WeeklyEmailToggle } from './weekly-email-toggle.tsx';

const PRESET_KEY = { '7d': 'last7d', '30d': 'last30d', '90d': 'last90d', '365d': 'last365d' } as const;

export function UsagePage({ email, isCustomer }: { email: string; isCustomer: boolean }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const machines = useMachineChoices(lng);
  const sites = useSites();

  const choices = useMemo(() => {
    const bySite = new Map<string, { siteName: string; devices: Array<{ id: string; label: string }> }>();
    for (const m of machines.data?.machines ?? []) {
      const entry = bySite.get(m.siteId) ?? { siteName: m.siteName, devices: [] };
      entry.devices.push({ id: m.deviceId, label: `${m.deviceId} · ${modelDisplayName(m.modelId, m.modelName, lng)}` });
      bySite.set(m.siteId, entry);
    }
    return bySite;
  }, [machines.data, lng]);
  const remembered = rememberedScope();
  const rememberedSite = remembered?.startsWith('site:') && choices.has(remembered.slice(5)) ? remembered.slice(5) : null;
  const firstSite = rememberedSite ?? choices.keys().next().value ?? null;
  const deviceSite = useMemo(() => new Map((machines.data?.machines ?? []).map((m) => [m.deviceId, m.siteId])), [machines.data]);
  const timezoneOf = (scope: string) => {
    const [kind, id = ''] = scope.split(/:(.*)/s);
    const siteId = kind === 'device' ? deviceSite.get(id) : id;
    return (siteId && sites.data?.get(siteId)?.timezone) || 'UTC';
  };
  const [{ scope, preset, selection }, patch] = useUsageUrl(firstSite, timezoneOf);
  const usage = useUsage(selection);
  const savings = useSavings(selection ? (selection.deviceId ? { deviceId: selection.deviceId } : { siteId: selection.siteId }) : null, lng);

  usePageTitle(t('portal.usage.title'));

  const scopeData = [
    ...[...choices.entries()].map(([siteId, s]) => ({
      group: s.siteName,
      items: [{ value: `site:${siteId}`, label: `${s.siteName} – ${t('portal.usage.scopeSite')}` }, ...s.devices.map((d) => ({ value: `device:${d.id}`, label: d.label }))],
    })),
  ];

  const setScope = (value: string) => {
    const [kind, id = ''] = value.split(/:(.*)/s);
    patch(kind === 'device' ? { device: id, site: null } : { site: id, device: null });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={1} size="h2">
          {t('portal.usage.title')}
        </Title>
        {selection && (
          <Button component={Link} to={`/reports/print?${printQuery(selection)}`} variant="light" data-testid="print-report">
            {t('portal.usage.printReport')}
          </Button>
        )}
      </Group>

      <Paper withBorder p="sm" radius="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('portal.usage.scope')}
            value={scope}
            onChange={(e) => setScope(e.currentTarget.value)}
            data={scopeData}
            w={{ base: '100%', sm: 320 }}
            data-testid="usage-scope"
          />
          <LabelledSegments
            id="usage-range-label"
            label={t('portal.usage.range')}
            value={preset ?? ''}
            onChange={(v) => patch({ range: v === '30d' ? null : v, from: null, to: null, g: null })}
            data={RANGE_PRESETS.map((p) => ({ value: p, label: t(`portal.usage.${PRESET_KEY[p]}`) }))}
          />
          <TextInput
            type="date"
            label={t('portal.usage.from')}
            value={selection?.from ?? ''}
            onChange={(e) => selection && e.currentTarget.value && patch({ from: e.currentTarget.value, to: selection.to, range: null })}
            w={160}
          />
          <TextInput
            type="date"
            label={t('portal.usage.to')}
            // Shown inclusive (the last day in the report); the API's end is exclusive.
            value={selection ? addDays(selection.to, -1) : ''}
            onChange={(e) => selection && e.currentTarget.value && patch({ to: addDays(e.currentTarget.value, 1), from: selection.from, range: null })}
            w={160}
          />
          <LabelledSegments
            id="usage-granularity-label"
            label={t('portal.usage.granularity')}
            value={selection?.granularity ?? 'day'}
            onChange={(v) => patch({ g: v as UsageGranularity })}
            data={(['day', 'week', 'month'] as const).map((g) => ({ value: g, label: t(`portal.usage.${g}`) }))}
          />
        </Group>
      </Paper>

      {/* The report waits for the machine list; with no machine there is nothing to choose, so the report query stays idle. */}
      <QueryState
        query={{
          isPending: machines.isPending || (usage.isPending && usage.fetchStatus !== 'idle'),
          isError: machines.isError || usage.isError,
          data: usage.data,
        }}
        errorMessage={t('portal.common.loadFailed')}
        unavailableMessage={t('portal.myParts.empty')}
      >
        {(report) => (
          <>
            <Text c="dimmed" size="sm" data-testid="usage-scope-name">
              {report.scope.kind === 'device' ? `${report.scope.name} · ${report.scope.siteName}` : report.scope.name}
            </Text>
            <UsageSummary totals={report.totals} tariff={report.tariff} />
            {report.totals.coveredHours === 0 ? (
              <Alert color="gray">{t('portal.usage.noData')}</Alert>
            ) : (
              <Paper withBorder p="md" radius="md">
                <ReportEnergyChart report={report} />
              </Paper>
            )}
            <PeriodsTable data={report} csvHref={selection ? usageCsvPath(selection, lng) : null} />
            {report.machines.length > 1 && <MachinesTable data={report} csvHref={selection ? usageCsvPath(selection, lng, 'machines') : null} />}
          </>
        )}
      </QueryState>

      <section aria-labelledby="savings-title">
        <Title order={2} size="h4" id="savings-title" mb="xs">
          {t('portal.usage.savingsTitle')}
        </Title>
        {savings.isPending && savings.fetchStatus !== 'idle' ? (
          <Loader size="sm" aria-label={t('app.loading')} />
        ) : savings.isError ? (
          <Alert color="red">{t('portal.common.loadFailed')}</Alert>
        ) : savings.data ? (
          <SavingsCards savings={savings.data} />
        ) : null}
      </section>

      {isCustomer && <WeeklyEmailToggle email={email} />}
    </Stack>
  );
}
