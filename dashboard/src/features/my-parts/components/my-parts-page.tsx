import { Alert, Anchor, Badge, Button, Collapse, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OverviewMachine, PartsSearchResponse } from '@airfleet/contracts';
import { formatNumber } from '../../../lib/format.ts';
import { useMachinesParts, useMyMachines } from '../api/my-parts.ts';

function NextKit({ machine, parts }: { machine: OverviewMachine; parts: PartsSearchResponse }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const next = parts.machine?.nextService ?? null;
  const kit = next?.kits[0] ?? null;
  if (!next || !kit) {
    // No running hours yet (or nothing due): the model's kits per plan level are still orderable.
    const kits = (parts.model?.kits ?? []).filter((k) => k.kits.length > 0);
    return (
      <Stack gap={4}>
        <Text size="sm" c="dimmed">
          {parts.machine === null || parts.machine.nextService === null ? t('portal.myParts.noNextKit') : ''}
        </Text>
        {kits.length > 0 && (
          <>
            <Text size="sm" fw={600}>
              {t('portal.myParts.modelKits')}
            </Text>
            {kits.map((k) => (
              <Group key={k.level} gap="sm">
                <Text size="sm" miw={120}>
                  {t(`portal.common.levels.${k.level}`)}
                </Text>
                <Text size="sm" ff="monospace">
                  {k.kits[0]!.printed}
                </Text>
                <Anchor
                  component={Link}
                  size="sm"
                  to={`/requests/new?device=${encodeURIComponent(machine.deviceId)}&kind=parts_quote&kit=${encodeURIComponent(k.level)}`}
                >
                  {t('portal.myParts.requestQuote')}
                </Anchor>
              </Group>
            ))}
          </>
        )}
      </Stack>
    );
  }
  return (
    <Stack gap="xs">
      <Group gap="sm" align="center">
        <Text fw={700} data-testid="next-kit-level" data-level={next.level}>
          {t(`portal.common.levels.${next.level}`)}
          {next.includes.length > 0 && ` ${t('portal.myParts.includes', { levels: next.includes.map((l) => (l === 'first' ? t('portal.common.levels.first') : l)).join(', ') })}`}
        </Text>
        {next.overdue ? (
          <Badge color="red" variant="filled">
            {t('portal.overview.maintenanceOverdue')}
          </Badge>
        ) : (
          <Text size="sm" c="dimmed">
            {t('portal.overview.maintenanceDue', { hours: formatNumber(next.dueInHours, lng, 0) })}
          </Text>
        )}
      </Group>
      <Text size="sm">
        <Text span ff="monospace" fw={700}>
          {kit.printed}
        </Text>{' '}
        {kit.name}
      </Text>
      {kit.kit && kit.kit.contents.length > 0 && (
        <Table withTableBorder fz="sm" maw={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('portal.myParts.columns.number')}</Table.Th>
              <Table.Th scope="col">{t('portal.myParts.columns.description')}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t('portal.myParts.columns.quantity')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {kit.kit.contents.map((c) => (
              <Table.Tr key={c.number}>
                <Table.Td ff="monospace">{c.printed}</Table.Td>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td ta="right">{formatNumber(c.quantity, lng, Number.isInteger(c.quantity) ? 0 : 1)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Button
        component={Link}
        to={`/requests/new?device=${encodeURIComponent(machine.deviceId)}&kind=parts_quote&kit=${encodeURIComponent(next.level)}`}
        w="fit-content"
        data-testid="request-kit-quote"
      >
        {t('portal.myParts.requestQuote')}
      </Button>
    </Stack>
  );
}

function Bom({ parts }: { parts: PartsSearchResponse }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const bom = parts.model?.bom ?? [];
  if (bom.length === 0) return null;
  return (
    <div>
      <Button variant="subtle" size="xs" px={0} onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        {open ? t('portal.myParts.bomHide') : t('portal.myParts.bomShow', { count: bom.length })}
      </Button>
      <Collapse expanded={open}>
        <Table.ScrollContainer minWidth={560}>
          <Table withTableBorder striped fz="sm" mt="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('portal.myParts.columns.position')}</Table.Th>
                <Table.Th scope="col">{t('portal.myParts.columns.group')}</Table.Th>
                <Table.Th scope="col">{t('portal.myParts.columns.number')}</Table.Th>
                <Table.Th scope="col">{t('portal.myParts.columns.description')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('portal.myParts.columns.quantity')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {bom.map((line) => (
                <Table.Tr key={`${line.position}:${line.part.number}`}>
                  <Table.Td>{line.position}</Table.Td>
                  <Table.Td>{t(`portal.myParts.assembly.${line.assembly}`)}</Table.Td>
                  <Table.Td ff="monospace">
                    <Anchor component={Link} to={`/parts?q=${line.part.number}`}>
                      {line.part.printed}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{line.part.name}</Table.Td>
                  <Table.Td ta="right">{formatNumber(line.quantity, i18n.language, Number.isInteger(line.quantity) ? 0 : 1)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Collapse>
    </div>
  );
}

/** "Parts for my machines": per own machine, its next service kit (with a quote action) and its parts list. */
export function MyPartsPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const machines = useMyMachines(lng);
  const list = machines.data?.machines ?? [];
  const parts = useMachinesParts(
    list.map((m) => m.serial),
    lng,
  );

  useEffect(() => {
    document.title = `${t('portal.myParts.title')} · ${t('app.name')}`;
  }, [t]);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            {t('portal.myParts.title')}
          </Title>
          <Text c="dimmed">{t('portal.myParts.intro')}</Text>
        </div>
        <Button component={Link} to="/parts" variant="light" data-testid="parts-lookup-link">
          {t('portal.myParts.lookup')}
        </Button>
      </Group>
      {machines.isPending ? (
        <Group justify="center" p="xl">
          <Loader aria-label={t('app.loading')} />
        </Group>
      ) : machines.isError ? (
        <Alert color="red">{t('portal.common.loadFailed')}</Alert>
      ) : list.length === 0 ? (
        <Alert color="gray">{t('portal.myParts.empty')}</Alert>
      ) : (
        list.map((m, i) => {
          const q = parts[i];
          return (
            <Paper key={m.deviceId} withBorder p="md" radius="md" component="section" aria-labelledby={`parts-${m.deviceId}`} data-device-id={m.deviceId}>
              <Group justify="space-between" align="baseline" mb="sm" wrap="wrap">
                <Title order={2} size="h4" id={`parts-${m.deviceId}`}>
                  {m.deviceId} · {m.modelName}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('portal.common.serial')} {m.serial} · {m.siteName}
                </Text>
              </Group>
              {!q || q.isPending ? (
                <Loader size="sm" aria-label={t('app.loading')} />
              ) : q.isError ? (
                <Alert color="red">{t('portal.common.loadFailed')}</Alert>
              ) : !q.data.model ? (
                <Text c="dimmed">{t('portal.myParts.notFound')}</Text>
              ) : (
                <Stack gap="sm">
                  <Text size="sm" fw={600}>
                    {t('portal.myParts.nextKit')}
                  </Text>
                  <NextKit machine={m} parts={q.data} />
                  <Bom parts={q.data} />
                </Stack>
              )}
            </Paper>
          );
        })
      )}
    </Stack>
  );
}
