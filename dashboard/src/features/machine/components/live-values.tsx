import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CompressorModel, Device, MetricKey } from '@airfleet/contracts';
import { formatNumber } from '../../../lib/format.ts';
import { limitLevel } from '../../../lib/health.ts';

const VALUES: ReadonlyArray<{ metric: MetricKey; unit: string; decimals: number }> = [
  { metric: 'pressureBar', unit: 'units.bar', decimals: 2 },
  { metric: 'elementTempC', unit: 'units.celsius', decimals: 1 },
  { metric: 'powerKw', unit: 'units.kw', decimals: 1 },
  { metric: 'flowM3Min', unit: 'units.m3min', decimals: 2 },
  { metric: 'motorCurrentA', unit: 'units.a', decimals: 0 },
  { metric: 'ambientTempC', unit: 'units.celsius', decimals: 1 },
  { metric: 'separatorDpBar', unit: 'units.bar', decimals: 2 },
  { metric: 'airFilterDpMbar', unit: 'units.mbar', decimals: 0 },
  { metric: 'vibrationMmS', unit: 'units.mms', decimals: 2 },
];

const LEVEL_STYLE = {
  ok: { border: 'var(--mantine-color-gray-3)', color: undefined },
  warning: { border: 'var(--mantine-color-orange-5)', color: 'var(--mantine-color-orange-9)' },
  trip: { border: 'var(--mantine-color-red-6)', color: 'var(--mantine-color-red-8)' },
} as const;

/**
 * Big, readable numbers for the compressor room. The model's warning and shutdown limits
 * thicken and colour the border; `data-level` carries the same for tests and tools.
 */
export function LiveValues({ device, model }: { device: Device; model: CompressorModel | undefined }) {
  const { t, i18n } = useTranslation();
  const metrics = device.latest?.metrics ?? {};
  return (
    <SimpleGrid cols={{ base: 2, xs: 3, md: 5, lg: 9 }} spacing="xs" data-testid="live-values" data-seq={device.latest?.seq ?? ''}>
      {VALUES.map(({ metric, unit, decimals }) => {
        const value = metrics[metric];
        const level = limitLevel(metric, value, model);
        const style = LEVEL_STYLE[level];
        return (
          <Paper key={metric} withBorder p="xs" radius="md" style={{ borderColor: style.border, borderWidth: level === 'ok' ? 1 : 2 }} data-metric={metric} data-level={level}>
            <Text size="xs" c="dimmed" fw={500} lineClamp={1} title={t(`metric.${metric}`)}>
              {t(`metric.${metric}`)}
            </Text>
            <Text fz={24} fw={700} lh={1.2} style={{ fontVariantNumeric: 'tabular-nums', color: style.color }}>
              {formatNumber(value, i18n.language, decimals)}
              <Text span size="sm" fw={500} c="dimmed" ml={4}>
                {t(unit as 'units.bar')}
              </Text>
            </Text>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
