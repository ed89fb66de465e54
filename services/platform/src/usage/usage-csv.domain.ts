import type { ReportLocale, UsageFigures, UsageResponse } from '@airfleet/contracts';

/**
 * CSV export of the usage tables (docs/customer-reports.md §1): RFC 4180 quoting, CRLF, and a UTF-8 byte-order
 * mark so Excel opens Chinese site names correctly. Numbers use a dot decimal separator and no
 * thousands separator, so every spreadsheet locale parses them the same way.
 */
const BOM = '\uFEFF';

const FIGURE_COLUMNS: Array<{ key: keyof UsageFigures; en: string; zh: string }> = [
  { key: 'kwh', en: 'Energy (kWh)', zh: '电能 (kWh)' },
  { key: 'runningHours', en: 'Running hours', zh: '运行小时' },
  { key: 'loadedHours', en: 'Loaded hours', zh: '加载小时' },
  { key: 'loadFactor', en: 'Load factor', zh: '加载率' },
  { key: 'airM3', en: 'Air delivered (m3)', zh: '供气量 (m3)' },
  { key: 'specificEnergyKwhM3', en: 'Specific energy (kWh/m3)', zh: '比能耗 (kWh/m3)' },
  { key: 'ratedSpecificEnergyKwhM3', en: 'Rated specific energy (kWh/m3)', zh: '额定比能耗 (kWh/m3)' },
  { key: 'peerMedianSpecificEnergyKwhM3', en: 'Peer median specific energy (kWh/m3)', zh: '同型号中位比能耗 (kWh/m3)' },
  { key: 'unloadedKwh', en: 'Unloaded energy (kWh)', zh: '空载能耗 (kWh)' },
  { key: 'leakFlowM3Min', en: 'Estimated leak flow (m3/min)', zh: '估计泄漏流量 (m3/min)' },
  { key: 'cost', en: 'Cost', zh: '电费' },
  { key: 'co2Kg', en: 'CO2 (kg)', zh: '二氧化碳 (kg)' },
  { key: 'coveredHours', en: 'Hours with data', zh: '有数据小时' },
  { key: 'gapHours', en: 'Data gap hours', zh: '数据缺失小时' },
];

export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  // Formula injection: a cell starting with = + - @ is text, not a formula, in Excel.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function line(cells: Array<string | number | null>): string {
  return cells.map(csvCell).join(',');
}

function header(label: string, currency: string, locale: ReportLocale): string[] {
  return [label, ...FIGURE_COLUMNS.map((c) => (c.key === 'cost' ? `${locale === 'zh-CN' ? c.zh : c.en} (${currency})` : locale === 'zh-CN' ? c.zh : c.en))];
}

export type UsageTable = 'periods' | 'machines';

export function usageCsv(report: UsageResponse, table: UsageTable, locale: ReportLocale): string {
  const zh = locale === 'zh-CN';
  const lines: string[] = [];
  if (table === 'machines') {
    lines.push(line([zh ? '设备' : 'Machine', zh ? '序列号' : 'Serial', zh ? '型号' : 'Model', ...header('', report.tariff.currency, locale).slice(1)]));
    for (const m of report.machines) lines.push(line([m.deviceId, m.serial, m.modelId, ...FIGURE_COLUMNS.map((c) => m.totals[c.key])]));
  } else {
    lines.push(line([...header(zh ? '期间' : 'Period', report.tariff.currency, locale), zh ? '开始 (UTC)' : 'Start (UTC)', zh ? '结束 (UTC)' : 'End (UTC)']));
    for (const r of report.rows) lines.push(line([r.period, ...FIGURE_COLUMNS.map((c) => r[c.key]), r.periodStart, r.periodEnd]));
    lines.push(line([zh ? '合计' : 'Total', ...FIGURE_COLUMNS.map((c) => report.totals[c.key]), report.from, report.to]));
  }
  return BOM + lines.join('\r\n') + '\r\n';
}

/** `usage-<scope>-<granularity>-<from>_<to>.csv`, ASCII only (ids are [A-Za-z0-9_-]). */
export function usageCsvFilename(report: UsageResponse, table: UsageTable): string {
  const day = (iso: string): string => iso.slice(0, 10);
  const safeId = report.scope.id.replace(/[^A-Za-z0-9_-]/g, '_');
  return `usage-${safeId}-${table === 'machines' ? 'machines' : report.granularity}-${day(report.from)}_${day(report.to)}.csv`;
}
