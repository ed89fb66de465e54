import type { TFunction } from 'i18next';
import type { Tariff, UsageFigures } from '@airfleet/contracts';
import { formatNumber } from '../../../lib/format.ts';
import { formatMoney, formatPercent } from '../../../lib/money.ts';

/** Relative difference of a specific-energy figure against a reference: −0.08 = 8 % less energy per m³. */
export function relativeTo(value: number | null, reference: number | null): number | null {
  if (value === null || reference === null || reference <= 0) return null;
  return value / reference - 1;
}

/** "8 % better" / "5 % worse" / "on par" (within 1 %): lower specific energy is better. */
export function formatComparison(diff: number | null, lng: string, t: TFunction): string {
  if (diff === null) return '—';
  if (Math.abs(diff) < 0.01) return t('portal.usage.same');
  const pct = formatNumber(Math.abs(diff) * 100, lng, 0);
  return diff < 0 ? t('portal.usage.better', { pct }) : t('portal.usage.worse', { pct });
}

export type FigureKey =
  | 'kwh'
  | 'runningHours'
  | 'loadedHours'
  | 'loadFactor'
  | 'airM3'
  | 'specificEnergy'
  | 'vsRated'
  | 'vsPeers'
  | 'unloadedKwh'
  | 'leak'
  | 'cost'
  | 'co2Kg';

export interface FigureColumn {
  key: FigureKey;
  label: string;
  hint?: string;
  /** Text for the screen and the CSV. */
  format: (f: UsageFigures) => string;
  /** Raw number for sorting and a sign for colouring. */
  value: (f: UsageFigures) => number | null;
}

/** The usage figures in one place: tables, the print report and the CSV of the machine table use the same columns. */
export function figureColumns(t: TFunction, lng: string, tariff: Tariff): FigureColumn[] {
  return [
    { key: 'kwh', label: t('portal.usage.columns.energyKwh'), format: (f) => formatNumber(f.kwh, lng, 0), value: (f) => f.kwh },
    { key: 'runningHours', label: t('portal.usage.columns.runningHours'), format: (f) => formatNumber(f.runningHours, lng, 1), value: (f) => f.runningHours },
    { key: 'loadedHours', label: t('portal.usage.columns.loadedHours'), format: (f) => formatNumber(f.loadedHours, lng, 1), value: (f) => f.loadedHours },
    { key: 'loadFactor', label: t('portal.usage.columns.loadFactor'), hint: t('portal.usage.hints.loadFactor'), format: (f) => formatPercent(f.loadFactor, lng), value: (f) => f.loadFactor },
    { key: 'airM3', label: t('portal.usage.columns.airM3'), format: (f) => formatNumber(f.airM3, lng, 0), value: (f) => f.airM3 },
    {
      key: 'specificEnergy',
      label: t('portal.usage.columns.specificEnergy'),
      hint: t('portal.usage.hints.specificEnergy'),
      format: (f) => formatNumber(f.specificEnergyKwhM3, lng, 3),
      value: (f) => f.specificEnergyKwhM3,
    },
    {
      key: 'vsRated',
      label: t('portal.usage.columns.vsRated'),
      hint: t('portal.usage.hints.vsRated'),
      format: (f) => formatComparison(relativeTo(f.specificEnergyKwhM3, f.ratedSpecificEnergyKwhM3), lng, t),
      value: (f) => relativeTo(f.specificEnergyKwhM3, f.ratedSpecificEnergyKwhM3),
    },
    {
      key: 'vsPeers',
      label: t('portal.usage.columns.vsPeers'),
      hint: t('portal.usage.hints.vsPeers'),
      format: (f) => formatComparison(relativeTo(f.specificEnergyKwhM3, f.peerMedianSpecificEnergyKwhM3), lng, t),
      value: (f) => relativeTo(f.specificEnergyKwhM3, f.peerMedianSpecificEnergyKwhM3),
    },
    { key: 'unloadedKwh', label: t('portal.usage.columns.unloadedKwh'), hint: t('portal.usage.hints.unloaded'), format: (f) => formatNumber(f.unloadedKwh, lng, 0), value: (f) => f.unloadedKwh },
    { key: 'leak', label: t('portal.usage.columns.leakM3Min'), hint: t('portal.usage.hints.leak'), format: (f) => formatNumber(f.leakFlowM3Min, lng, 2), value: (f) => f.leakFlowM3Min },
    {
      key: 'cost',
      label: `${t('portal.usage.columns.cost')} (${tariff.currency})`,
      hint: t('portal.usage.hints.tariff', { tariff: formatMoney(tariff.tariffPerKwh, tariff.currency, lng) }),
      format: (f) => formatMoney(f.cost, tariff.currency, lng),
      value: (f) => f.cost,
    },
    {
      key: 'co2Kg',
      label: t('portal.usage.columns.co2Kg'),
      hint: t('portal.usage.hints.grid', { factor: formatNumber(tariff.gridCo2KgPerKwh, lng, 2) }),
      format: (f) => formatNumber(f.co2Kg, lng, 0),
      value: (f) => f.co2Kg,
    },
  ];
}
