import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { USAGE_GRANULARITIES, type UsageGranularity } from '@airfleet/contracts';
import { useSites } from '../../../lib/catalogue.ts';
import { formatDateTime, formatNumber } from '../../../lib/format.ts';
import { formatMoney } from '../../../lib/money.ts';
import { useSavings, useUsage, type UsageSelection } from '../api/usage.ts';
import { addDays, isDate } from './usage-range.ts';
import { SavingsCards } from './savings-cards.tsx';
import { ReportEnergyChart } from './usage-chart.tsx';
import { printQuery } from './usage-selection.ts';
import { UsageSummary } from './usage-summary.tsx';
import { MachinesTable, PeriodsTable } from './usage-tables.tsx';
import './report-print.css';

function selectionFrom(params: URLSearchParams): UsageSelection | null {
  const deviceId = params.get('device') ?? undefined;
  const siteId = params.get('site') ?? undefined;
  const from = params.get('from');
  const to = params.get('to');
  const g = params.get('g');
  if (!(deviceId || siteId) || !isDate(from) || !isDate(to) || from >= to) return null;
  const granularity: UsageGranularity = (USAGE_GRANULARITIES as readonly string[]).includes(g ?? '') ? (g as UsageGranularity) : 'day';
  return { ...(deviceId ? { deviceId } : { siteId }), from, to, granularity };
}

/**
 * `/reports/print?site=…|device=…&from=…&to=…&g=…`: the usage report as a document, outside
 * the app frame (no navigation), laid out for A4 paper.
 */
export function ReportPrintPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [params] = useSearchParams();
  const selection = useMemo(() => selectionFrom(params), [params]);
  const usage = useUsage(selection);
  const savings = useSavings(selection ? (selection.deviceId ? { deviceId: selection.deviceId } : { siteId: selection.siteId }) : null, lng);
  const sites = useSites();
  const [generatedAt] = useState(() => Date.now());

  const data = usage.data;
  const site = data ? sites.data?.get(data.scope.siteId) : undefined;

  useEffect(() => {
    if (data) document.title = `${t('portal.report.title')} · ${data.scope.name} · ${selection?.from ?? ''}`;
  }, [t, data, selection]);

  if (!selection) return <Alert color="red">{t('portal.common.loadFailed')}</Alert>;
  if (usage.isPending || savings.isPending) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  if (usage.isError || !data) return <Alert color="red">{t('portal.common.loadFailed')}</Alert>;

  const scopeName = data.scope.kind === 'device' ? `${data.scope.name} · ${data.scope.siteName}` : data.scope.name;
  const range = `${new Date(`${selection.from}T00:00:00Z`).toLocaleDateString(lng, { timeZone: 'UTC', dateStyle: 'medium' })} – ${new Date(`${addDays(selection.to, -1)}T00:00:00Z`).toLocaleDateString(lng, { timeZone: 'UTC', dateStyle: 'medium' })}`;

  return (
    <main className="af-report" data-testid="print-report">
      <Group justify="space-between" className="af-report-no-print" mb="md">
        <Button component={Link} to={`/usage?${printQuery(selection)}`} variant="default">
          ← {t('portal.report.back')}
        </Button>
        <Button onClick={() => window.print()}>{t('portal.report.print')}</Button>
      </Group>

      <Stack gap={2} mb="md">
        <Group justify="space-between" align="flex-start">
          <Title order={1} size="h2">
            {t('portal.report.title')}
          </Title>
          <Group gap={6}>
            <img src="/favicon.svg" alt="" width={20} height={20} />
            <Text fw={700}>{t('app.name')}</Text>
          </Group>
        </Group>
        <Text fw={600} data-testid="report-scope">{site ? `${site.customerName} · ${scopeName}` : scopeName}</Text>
        <Text>{range}</Text>
        <Text size="sm">
          {t('portal.report.tariff')}: {formatMoney(data.tariff.tariffPerKwh, data.tariff.currency, lng)}/kWh · {t('portal.report.gridFactor')}:{' '}
          {formatNumber(data.tariff.gridCo2KgPerKwh, lng, 2)} kg/kWh · {t('portal.report.generated', { time: formatDateTime(generatedAt, lng) })}
        </Text>
      </Stack>

      <section aria-labelledby="report-summary">
        <Title order={2} size="h4" id="report-summary" mb="xs">
          {t('portal.report.summary')}
        </Title>
        <UsageSummary totals={data.totals} tariff={data.tariff} />
      </section>

      {data.rows.length > 0 && data.totals.coveredHours > 0 && (
        <ReportEnergyChart report={data} height={200} />
      )}

      <PeriodsTable data={data} fit />

      {data.machines.length > 1 && (
        <div className="af-report-page-break">
          <MachinesTable data={data} fit />
        </div>
      )}

      {savings.data && (
        <section aria-labelledby="report-savings" className={data.machines.length > 1 ? undefined : 'af-report-page-break'}>
          <Title order={2} size="h4" id="report-savings" mb="xs" mt="md">
            {t('portal.report.savings')}
          </Title>
          <SavingsCards savings={savings.data} />
        </section>
      )}

      <Text size="xs" mt="lg" c="dimmed">
        {t('portal.report.footer')}
      </Text>
    </main>
  );
}
