import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OverviewMachine } from '@airfleet/contracts';
import { StateBadge, type BadgeState } from '../../../components/state-badge.tsx';
import { useNow } from '../../../components/use-now.ts';
import { formatAgo, formatDateTime, formatNumber } from '../../../lib/format.ts';
import { formatMoney } from '../../../lib/money.ts';
import { useOverview, useSiteWeeks } from '../api/portal.ts';
import classes from './overview.module.css';

const STATES: readonly string[] = ['loaded', 'unloaded', 'stopped', 'standby', 'tripped'];
const SEVERITY_RANK: Record<string, number> = { critical: 0, major: 1, minor: 2, warning: 3 };
const SEVERITY_COLOR: Record<string, string> = { critical: 'red', major: 'orange', minor: 'yellow', warning: 'yellow' };

function badgeState(m: OverviewMachine): BadgeState {
  if (m.online === false) return 'offline';
  return m.state && STATES.includes(m.state) ? (m.state as BadgeState) : 'unknown';
}

function needsAttention(m: OverviewMachine): boolean {
  return m.alerts.length > 0 || m.maintenance.some((x) => x.overdue) || m.state === 'tripped';
}

function healthColor(score: number): string {
  return score >= 90 ? 'green' : score >= 70 ? 'yellow' : 'red';
}

function Stat({ label, value, tone, testId }: { label: string; value: number; tone?: string; testId: string }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Text fz={30} fw={700} lh={1.2} c={tone} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </Paper>
  );
}

function MachineCard({ m, now }: { m: OverviewMachine; now: number }) {
  const { t } = useTranslation();
  const next = m.maintenance[0];
  const lastSeen = m.lastSeenAt ? Date.parse(m.lastSeenAt) : null;
  return (
    <Paper withBorder p="md" radius="md" className={classes.card} data-device-id={m.deviceId} data-attention={needsAttention(m) || undefined}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <div>
          <Anchor component={Link} to={`/machines/${encodeURIComponent(m.deviceId)}`} fw={700} size="lg">
            {m.deviceId}
          </Anchor>
          <Text size="sm" c="dimmed">
            {m.modelName} · {m.siteName}
          </Text>
        </div>
        <div style={{ flexShrink: 0 }}>
          <StateBadge state={badgeState(m)} />
        </div>
      </Group>
      <Stack gap={4} mt="sm">
        <Group justify="space-between" gap="xs">
          <Text size="sm">{t('portal.overview.health')}</Text>
          <Text size="sm" fw={700} data-testid="health-score">
            {m.health ? `${Math.round(m.health.score)} %` : '—'}
          </Text>
        </Group>
        {m.health ? (
          <Progress value={m.health.score} color={healthColor(m.health.score)} size="sm" aria-label={t('portal.overview.healthHint', { score: Math.round(m.health.score) })} />
        ) : (
          <Text size="xs" c="dimmed">
            {t('portal.overview.healthUnknown')}
          </Text>
        )}
        {m.alerts.slice(0, 2).map((a) => (
          <Text key={a.id} size="sm" c={a.severity === 'critical' || a.severity === 'major' ? 'red.8' : undefined}>
            {a.text}
          </Text>
        ))}
        {next && (
          <Text size="sm" c={next.overdue ? 'red.8' : undefined} fw={next.overdue ? 600 : undefined}>
            {next.text}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {lastSeen !== null ? t('portal.overview.lastHeard', { ago: formatAgo(lastSeen, now, t) ?? '' }) : t('portal.overview.neverHeard')}
        </Text>
      </Stack>
    </Paper>
  );
}

/** The customer's home: each machine's status and health, what needs attention, what maintenance is coming, last week's energy. */
export function OverviewPage({ name }: { name: string }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const overview = useOverview(lng);
  const now = useNow(30_000);
  // Machines that need attention first: the page answers "is anything wrong?" before anything else.
  const machines = useMemo(
    () => [...(overview.data?.machines ?? [])].sort((a, b) => Number(needsAttention(b)) - Number(needsAttention(a)) || a.deviceId.localeCompare(b.deviceId)),
    [overview.data],
  );

  const sites = useMemo(() => {
    const bySite = new Map<string, string>();
    for (const m of machines) bySite.set(m.siteId, m.siteName);
    return [...bySite.entries()];
  }, [machines]);
  const { week, savings } = useSiteWeeks(
    sites.map(([id]) => id),
    lng,
  );

  const alerts = useMemo(
    () =>
      machines
        .flatMap((m) => m.alerts.map((a) => ({ ...a, machine: m })))
        .sort((a, b) => (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) || b.since.localeCompare(a.since)),
    [machines],
  );
  const maintenance = useMemo(
    () =>
      machines
        .flatMap((m) => m.maintenance.slice(0, 1).map((x) => ({ ...x, machine: m })))
        .sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9')),
    [machines],
  );

  useEffect(() => {
    document.title = `${t('portal.overview.title')} · ${t('app.name')}`;
  }, [t]);

  if (overview.isPending) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  if (overview.isError) return <Alert color="red">{t('portal.common.loadFailed')}</Alert>;

  const running = machines.filter((m) => m.online !== false && (m.state === 'loaded' || m.state === 'unloaded')).length;
  const attention = machines.filter(needsAttention).length;
  const offline = machines.filter((m) => m.online === false).length;

  return (
    <Stack gap="lg">
      <div>
        <Title order={1} size="h2">
          {t('portal.overview.title')}
        </Title>
        <Text c="dimmed">
          {t('portal.overview.greeting')} · {name}
        </Text>
      </div>

      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Stat testId="stat-machines" label={t('portal.overview.machinesSummary', { count: machines.length })} value={machines.length} />
        <Stat testId="stat-running" label={t('portal.overview.running')} value={running} tone="green.8" />
        <Stat testId="stat-attention" label={t('portal.overview.needsAttention')} value={attention} tone={attention > 0 ? 'red.8' : undefined} />
        <Stat testId="stat-offline" label={t('portal.overview.offline')} value={offline} tone={offline > 0 ? 'gray.7' : undefined} />
      </SimpleGrid>

      <section aria-labelledby="alerts-title">
        <Title order={2} size="h3" id="alerts-title" mb="xs">
          {t('portal.overview.alertsTitle')}
        </Title>
        {alerts.length === 0 ? (
          <Alert color="green" role="status">
            {t('portal.overview.alertsEmpty')}
          </Alert>
        ) : (
          <Stack gap="xs" data-testid="overview-alerts">
            {alerts.map((a) => (
              <Paper key={a.id} withBorder p="sm" radius="md" className={classes.alert} data-severity={a.severity}>
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <Group gap="sm" wrap="nowrap" align="flex-start">
                    <Badge color={SEVERITY_COLOR[a.severity] ?? 'gray'} variant="filled" radius="sm">
                      {t(`alarms.severity.${a.severity as 'critical'}`, { defaultValue: a.severity })}
                    </Badge>
                    <div>
                      <Text fw={600}>{a.text}</Text>
                      <Text size="sm" c="dimmed">
                        <Anchor component={Link} to={`/machines/${encodeURIComponent(a.machine.deviceId)}`} size="sm">
                          {a.machine.deviceId}
                        </Anchor>{' '}
                        · {a.machine.siteName} · {t('portal.overview.alertSince', { time: formatDateTime(a.since, lng) })}
                      </Text>
                    </div>
                  </Group>
                  <Button
                    component={Link}
                    to={`/requests/new?device=${encodeURIComponent(a.machine.deviceId)}&kind=service`}
                    variant="default"
                    size="xs"
                  >
                    {t('portal.overview.requestService')}
                  </Button>
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
      </section>

      <section aria-labelledby="machines-title">
        <Title order={2} size="h3" id="machines-title" mb="xs">
          {t('portal.overview.machinesTitle')}
        </Title>
        {machines.length === 0 && <Alert color="gray">{t('portal.overview.noMachines')}</Alert>}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm" data-testid="overview-machines">
          {machines.map((m) => (
            <MachineCard key={m.deviceId} m={m} now={now} />
          ))}
        </SimpleGrid>
      </section>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <section aria-labelledby="maintenance-title">
          <Title order={2} size="h3" id="maintenance-title" mb="xs">
            {t('portal.overview.maintenanceTitle')}
          </Title>
          {maintenance.length === 0 ? (
            <Text c="dimmed">{t('portal.overview.maintenanceEmpty')}</Text>
          ) : (
            <Table withTableBorder striped data-testid="overview-maintenance">
              <Table.Tbody>
                {maintenance.map((x) => (
                  <Table.Tr key={`${x.machine.deviceId}:${x.level}`}>
                    <Table.Td>
                      <Text fw={600} size="sm">
                        {x.machine.deviceId}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {x.machine.siteName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c={x.overdue ? 'red.8' : undefined} fw={x.overdue ? 700 : undefined}>
                        {x.overdue && `${t('portal.overview.maintenanceOverdue')}: `}
                        {x.text}
                      </Text>
                      {x.dueAt && (
                        <Text size="xs" c="dimmed">
                          {t('portal.overview.maintenanceDueDate', { date: new Date(x.dueAt).toLocaleDateString(lng, { dateStyle: 'medium' }) })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      <Anchor
                        component={Link}
                        size="sm"
                        to={`/requests/new?device=${encodeURIComponent(x.machine.deviceId)}&kind=parts_quote&kit=${encodeURIComponent(x.level)}`}
                      >
                        {t('portal.overview.orderKit')}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </section>

        <section aria-labelledby="week-title">
          <Group justify="space-between" align="baseline" mb="xs">
            <Title order={2} size="h3" id="week-title">
              {t('portal.overview.weekTitle')}
            </Title>
            <Anchor component={Link} to="/usage" size="sm">
              {t('portal.overview.seeUsage')} →
            </Anchor>
          </Group>
          <Stack gap="xs">
            {sites.map(([siteId, siteName], i) => {
              const w = week[i]?.data;
              const s = savings[i]?.data;
              return (
                <Paper key={siteId} withBorder p="sm" radius="md" data-testid="site-week" data-site-id={siteId}>
                  <Text fw={700} mb={4}>
                    {siteName}
                  </Text>
                  {week[i]?.isPending ? (
                    <Loader size="xs" aria-label={t('app.loading')} />
                  ) : w && w.totals.coveredHours === 0 ? (
                    <Text size="sm" c="dimmed">
                      {t('portal.overview.noWeekData')}
                    </Text>
                  ) : w ? (
                    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
                      <div>
                        <Text size="xs" c="dimmed">
                          {t('portal.overview.energy')}
                        </Text>
                        <Text fw={700}>{formatNumber(w.totals.kwh, lng, 0)} kWh</Text>
                      </div>
                      <div>
                        <Text size="xs" c="dimmed">
                          {t('portal.overview.cost')}
                        </Text>
                        <Text fw={700}>{formatMoney(w.totals.cost, w.tariff.currency, lng)}</Text>
                      </div>
                      <div>
                        <Text size="xs" c="dimmed">
                          {t('portal.overview.co2')}
                        </Text>
                        <Text fw={700}>{formatNumber(w.totals.co2Kg, lng, 0)} kg</Text>
                      </div>
                      <div>
                        <Text size="xs" c="dimmed">
                          {t('portal.overview.savingsTitle')}
                        </Text>
                        <Text fw={700} c="teal.9">
                          {s ? formatMoney(s.totalMoneyPerYear, s.tariff.currency, lng) : '—'}
                        </Text>
                      </div>
                    </SimpleGrid>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('portal.common.loadFailed')}
                    </Text>
                  )}
                </Paper>
              );
            })}
          </Stack>
        </section>
      </SimpleGrid>
    </Stack>
  );
}
