import { Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompressorModel, Device, Site } from '@airfleet/contracts';
import { formatDateTime, formatNumber } from '../../../lib/format.ts';
import { modelDisplayName } from '../../../lib/model-name.ts';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="xs" c="dimmed">
        {label}
      </Text>
      <Text component="dd" size="sm" fw={500} m={0}>
        {children}
      </Text>
    </div>
  );
}

/** Identity and counters: what a service engineer needs when ordering parts or planning a visit. */
export function MachineFacts({ device, model, site }: { device: Device; model: CompressorModel | undefined; site: Site | undefined }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const m = device.latest?.metrics ?? {};
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm" component="dl" m={0}>
        <Fact label={t('machine.model')}>{modelDisplayName(device.modelId, model?.name ?? device.modelId, lng)}</Fact>
        <Fact label={t('machine.serial')}>{device.serial}</Fact>
        <Fact label={t('machine.firmware')}>{device.firmware ?? '—'}</Fact>
        <Fact label={t('machine.site')}>{site ? `${site.name}, ${site.city}` : device.siteId}</Fact>
        <Fact label={t('machine.customer')}>{site?.customerName ?? device.customerId}</Fact>
        <Fact label={t('machine.lastSeen')}>{formatDateTime(device.lastSeenAt, lng)}</Fact>
      </SimpleGrid>
      <Text size="sm" fw={600} component="h3" m={0}>
        {t('machine.counters')}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" component="dl" m={0}>
        <Fact label={t('metric.runningHours')}>
          {formatNumber(m.runningHours, lng, 0)} {t('units.h')}
        </Fact>
        <Fact label={t('metric.loadedHours')}>
          {formatNumber(m.loadedHours, lng, 0)} {t('units.h')}
        </Fact>
        <Fact label={t('metric.motorStarts')}>{formatNumber(m.motorStarts, lng, 0)}</Fact>
        <Fact label={t('metric.loadCycles')}>{formatNumber(m.loadCycles, lng, 0)}</Fact>
      </SimpleGrid>
      {model && (
        <Group gap={6}>
          <Badge variant="light" color="gray">
            {model.ratedPowerKw} {t('units.kw')}
          </Badge>
          <Badge variant="light" color="gray">
            {model.fadM3Min} {t('units.m3min')}
          </Badge>
          <Badge variant="light" color="gray">
            {model.maxPressureBar} {t('units.bar')}
          </Badge>
        </Group>
      )}
    </Stack>
  );
}
