import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Tariff, UsageFigures } from '@airfleet/contracts';
import { formatNumber } from '../../../lib/format.ts';
import { formatMoney, formatPercent } from '../../../lib/money.ts';
import { formatComparison, relativeTo } from './usage-columns.ts';
import classes from './usage.module.css';

function Tile({ label, value, unit, hint, testId }: { label: string; value: string; unit?: string; hint?: string; testId: string }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Text fz={26} fw={700} lh={1.25} className={classes.kpi}>
        {value}
        {unit && (
          <Text span size="sm" c="dimmed" ml={4} fw={500}>
            {unit}
          </Text>
        )}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** The range's key figures as a plant manager reads them: energy, money, CO₂, then efficiency and waste. */
export function UsageSummary({ totals, tariff }: { totals: UsageFigures; tariff: Tariff }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const unloadedCost = totals.unloadedKwh * tariff.tariffPerKwh;
  const vsRated = formatComparison(relativeTo(totals.specificEnergyKwhM3, totals.ratedSpecificEnergyKwhM3), lng, t);
  const vsPeers = formatComparison(relativeTo(totals.specificEnergyKwhM3, totals.peerMedianSpecificEnergyKwhM3), lng, t);
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" data-testid="usage-summary">
      <Tile testId="usage-kwh" label={t('portal.usage.columns.energyKwh')} value={formatNumber(totals.kwh, lng, 0)} unit="kWh" />
      <Tile
        testId="usage-cost"
        label={t('portal.usage.columns.cost')}
        value={formatMoney(totals.cost, tariff.currency, lng)}
        hint={t('portal.usage.hints.tariff', { tariff: formatMoney(tariff.tariffPerKwh, tariff.currency, lng) })}
      />
      <Tile
        testId="usage-co2"
        label={t('portal.usage.columns.co2Kg')}
        value={formatNumber(totals.co2Kg, lng, 0)}
        hint={t('portal.usage.hints.grid', { factor: formatNumber(tariff.gridCo2KgPerKwh, lng, 2) })}
      />
      <Tile
        testId="usage-load-factor"
        label={t('portal.usage.columns.loadFactor')}
        value={formatPercent(totals.loadFactor, lng)}
        hint={`${formatNumber(totals.loadedHours, lng, 0)} / ${formatNumber(totals.runningHours, lng, 0)} h`}
      />
      <Tile testId="usage-air" label={t('portal.usage.columns.airM3')} value={formatNumber(totals.airM3, lng, 0)} unit="m³" />
      <Tile
        testId="usage-specific-energy"
        label={t('portal.usage.columns.specificEnergy')}
        value={formatNumber(totals.specificEnergyKwhM3, lng, 3)}
        unit="kWh/m³"
        hint={`${t('portal.usage.columns.vsRated')}: ${vsRated} · ${t('portal.usage.columns.vsPeers')}: ${vsPeers}`}
      />
      <Tile
        testId="usage-unloaded"
        label={t('portal.usage.columns.unloadedKwh')}
        value={formatNumber(totals.unloadedKwh, lng, 0)}
        unit="kWh"
        hint={`≈ ${formatMoney(unloadedCost, tariff.currency, lng)} · ${t('portal.usage.hints.unloaded')}`}
      />
      <Tile
        testId="usage-leak"
        label={t('portal.usage.columns.leakM3Min')}
        value={formatNumber(totals.leakFlowM3Min, lng, 2)}
        unit="m³/min"
        hint={t('portal.usage.hints.leak')}
      />
    </SimpleGrid>
  );
}
