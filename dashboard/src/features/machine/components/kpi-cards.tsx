import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../lib/format.ts';

interface KpiCardsProps {
  loadFactor: number | null;
  specificPower: number | null;
  energyToday: number | null;
}

function Kpi({ label, hint, value, unit, testId }: { label: string; hint: string; value: string; unit: string; testId: string }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
        <Text span size="sm" c="dimmed" ml={4} fw={500}>
          {unit}
        </Text>
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Paper>
  );
}

export function KpiCards({ loadFactor, specificPower, energyToday }: KpiCardsProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
      <Kpi
        testId="kpi-load-factor"
        label={t('machine.kpi.loadFactor')}
        hint={t('machine.kpi.loadFactorHint')}
        value={formatNumber(loadFactor === null ? null : loadFactor * 100, lng, 0)}
        unit={t('units.pct')}
      />
      <Kpi
        testId="kpi-specific-power"
        label={t('machine.kpi.specificPower')}
        hint={t('machine.kpi.specificPowerHint')}
        value={formatNumber(specificPower, lng, 2)}
        unit={t('units.specificPower')}
      />
      <Kpi
        testId="kpi-energy-today"
        label={t('machine.kpi.energyToday')}
        hint={t('machine.kpi.energyTodayHint')}
        value={formatNumber(energyToday, lng, 0)}
        unit={t('units.kwh')}
      />
    </SimpleGrid>
  );
}
