import { Alert, Anchor, Badge, Group, Paper, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MachineParts, ModelParts } from '@airfleet/contracts';
import { modelDisplayName } from '../../../lib/model-name.ts';
import { PartNumber } from './part-hit-card.tsx';

export function MachineSection({ machine, serial }: { machine: MachineParts | null; serial: string }) {
  const { t, i18n } = useTranslation();
  if (!machine) {
    return (
      <Alert color="gray" data-testid="machine-not-found">
        {t('parts.machine.notFound', { serial })}
      </Alert>
    );
  }
  const next = machine.nextService;
  const fmt = (n: number) => new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 0 }).format(Math.max(0, n));
  return (
    <Paper withBorder p="md" radius="md" data-testid="machine">
      <Stack gap="xs">
        <Group gap="sm">
          <Title order={2} size="h4">
            {t('parts.machine.title', { serial: machine.serial })}
          </Title>
          <Badge variant="outline">{t('parts.machine.model', { model: machine.modelId })}</Badge>
        </Group>
        {next ? (
          <Stack gap={4} data-testid="next-service">
            <Group gap="sm">
              <Text fw={700}>{t('parts.machine.next', { level: t(`parts.levels.${next.level}`) })}</Text>
              {next.overdue ? (
                <Badge color="red">{t('parts.machine.overdue')}</Badge>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('parts.machine.dueIn', { hours: fmt(next.dueInHours), days: fmt(next.dueInDays) })}
                </Text>
              )}
            </Group>
            {next.kits.map((kit) => (
              <Group key={kit.number} gap="sm">
                <PartNumber printed={kit.printed} size="md" />
                <Text size="sm">{kit.name}</Text>
              </Group>
            ))}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            {t('parts.machine.noNext')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/** A model's service kits per plan level and its bill of materials. */
export function ModelPartsSection({ model }: { model: ModelParts }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md" data-testid="model-parts">
      <Stack gap="md">
        <Title order={2} size="h4">
          {t('parts.model.title', { model: modelDisplayName(model.modelId, model.modelName, i18n.language) })}
        </Title>
        <Stack gap={6}>
          <Text fw={600}>{t('parts.model.kits')}</Text>
          {model.kits.map((level) => (
            <Group key={level.level} gap="sm" align="flex-start" wrap="nowrap">
              <Badge miw={120} variant="light" style={{ flexShrink: 0 }}>
                {t(`parts.levels.${level.level}`)}
              </Badge>
              <Stack gap={2}>
                {level.kits.map((kit) => (
                  <Group key={kit.number} gap="sm" wrap="wrap">
                    {/* Opens the kit with its contents. */}
                    <Anchor component={Link} to={`/parts?q=${kit.number}`} underline="hover" data-testid="kit-link">
                      <PartNumber printed={kit.printed} size="sm" />
                    </Anchor>
                    <Text size="sm">{kit.name}</Text>
                  </Group>
                ))}
                <Text size="xs" c="dimmed">
                  {level.intervalMonths
                    ? t('parts.model.intervalMonths', { hours: level.intervalHours, months: level.intervalMonths })
                    : t('parts.model.interval', { hours: level.intervalHours })}
                </Text>
              </Stack>
            </Group>
          ))}
        </Stack>
        <Stack gap={6}>
          <Text fw={600}>{t('parts.model.bom')}</Text>
          <ScrollArea type="auto">
            <Table striped withTableBorder fz="sm" miw={560} data-testid="bom-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={60}>{t('parts.model.position')}</Table.Th>
                  <Table.Th w={130}>{t('parts.model.assembly')}</Table.Th>
                  <Table.Th w={140}>{t('parts.model.partNumber')}</Table.Th>
                  <Table.Th>{t('parts.model.description')}</Table.Th>
                  <Table.Th w={60} ta="right">
                    {t('parts.model.quantity')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {model.bom.map((line) => (
                  <Table.Tr key={line.position}>
                    <Table.Td>{line.position}</Table.Td>
                    <Table.Td>{t(`parts.model.assemblies.${line.assembly}`)}</Table.Td>
                    <Table.Td>
                      <PartNumber printed={line.part.printed} size="sm" />
                    </Table.Td>
                    <Table.Td>{line.part.name}</Table.Td>
                    <Table.Td ta="right">{line.quantity}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        </Stack>
      </Stack>
    </Paper>
  );
}
