import type { ReportLocale, SavingOpportunity, Tariff } from '@airfleet/contracts';
import type { UsageSums } from './usage.domain.ts';

/**
 * Savings advice with numbers (docs/domain.md §4), pure. Each opportunity is the measured figure over
 * the basis period, scaled to a year, times a stated share that a typical measure recovers.
 * The assumptions travel with the figures in plain words, so a plant manager can check them.
 */

/** ≈ 7 % of loaded energy per bar of discharge pressure (docs/domain.md §4). */
export const SAVING_PER_BAR = 0.07;
/** Assumed pressure reduction when the site's real need is not known. */
export const DEFAULT_PRESSURE_REDUCTION_BAR = 0.5;
/** Share of unloaded-running energy a tighter unload (idle) timer or a VSD avoids. */
export const UNLOADED_RECOVERY_SHARE = 0.5;
/** Share of leak energy a leak survey with repairs typically recovers. */
export const LEAK_REPAIR_SHARE = 0.5;
/** Opportunities smaller than this are noise, not advice. */
const MIN_KWH_PER_YEAR = 50;

export interface SavingsMachine {
  deviceId: string;
  label: string;
  sums: UsageSums;
  /** Average discharge pressure while loaded, bar(g); null without pressure data. */
  avgLoadedPressureBar: number | null;
  /** Model's lowest set point (load pressure), the floor we never advise going below. */
  modelLoadBar: number;
}

export interface SavingsInput {
  machines: readonly SavingsMachine[];
  basisDays: number;
  tariff: Tariff;
  locale: ReportLocale;
  /** What the site's equipment needs, bar(g), when known. */
  sitePressureNeedBar?: number | null;
}

const r0 = (v: number): number => Math.round(v);
const r2 = (v: number): number => Math.round(v * 100) / 100;

function money(v: number, tariff: Tariff): string {
  return `${r0(v).toLocaleString('en-US')} ${tariff.currency}`;
}

function opportunity(
  kind: SavingOpportunity['kind'],
  deviceId: string | null,
  title: string,
  kwhPerYear: number,
  tariff: Tariff,
  assumptions: string[],
): SavingOpportunity {
  return {
    kind,
    deviceId,
    title,
    kwhPerYear: r0(kwhPerYear),
    moneyPerYear: r2(kwhPerYear * tariff.tariffPerKwh),
    co2KgPerYear: r0(kwhPerYear * tariff.gridCo2KgPerKwh),
    assumptions,
  };
}

export function savingsAdvice(input: SavingsInput): SavingOpportunity[] {
  const { tariff, locale } = input;
  const zh = locale === 'zh-CN';
  const perYear = input.basisDays > 0 ? 365 / input.basisDays : 0;
  const out: SavingOpportunity[] = [];
  const days = r0(input.basisDays);

  for (const m of input.machines) {
    const loadedKwh = Math.max(0, m.sums.kwh - m.sums.unloadedKwh);
    // Pressure band: lower the discharge pressure to what the site needs (default: 0.5 bar).
    if (m.avgLoadedPressureBar !== null && loadedKwh > 0) {
      const need = input.sitePressureNeedBar ?? null;
      const reduction = need !== null ? Math.max(0, m.avgLoadedPressureBar - need) : DEFAULT_PRESSURE_REDUCTION_BAR;
      const kwh = loadedKwh * SAVING_PER_BAR * reduction * perYear;
      if (reduction > 0 && kwh >= MIN_KWH_PER_YEAR) {
        const p = m.avgLoadedPressureBar.toFixed(1);
        const target = Math.max(m.avgLoadedPressureBar - reduction, 0).toFixed(1);
        out.push(
          opportunity(
            'pressure_band',
            m.deviceId,
            zh ? `${m.label}：将压力带降低 ${reduction.toFixed(1)} bar` : `${m.label}: lower the pressure band by ${reduction.toFixed(1)} bar`,
            kwh,
            tariff,
            zh
              ? [
                  `加载时平均排气压力 ${p} bar，目标 ${target} bar（${need === null ? '假设用气设备实际需要的压力比当前低 0.5 bar，请与现场确认' : `现场需要 ${need.toFixed(1)} bar`}）。`,
                  `每降低 1 bar 排气压力约节省 7% 的加载能耗；过去 ${days} 天加载能耗 ${r0(loadedKwh)} kWh，按全年折算。`,
                  `不得低于机型加载设定值 ${m.modelLoadBar.toFixed(1)} bar 以下的压力需求。`,
                ]
              : [
                  `Average discharge pressure while loaded ${p} bar, target ${target} bar (${need === null ? 'assumed: the equipment needs 0.5 bar less than today; check with the people who use the air' : `the site needs ${need.toFixed(1)} bar`}).`,
                  `Each bar less saves about 7 % of the loaded energy; loaded energy in the last ${days} days was ${r0(loadedKwh)} kWh, scaled to a year.`,
                  `Never below what the equipment needs, nor below the model's load set point of ${m.modelLoadBar.toFixed(1)} bar.`,
                ],
          ),
        );
      }
    }
    // Unloaded running: energy spent producing no air.
    const wasted = m.sums.unloadedKwh * perYear;
    const unloadedHours = m.sums.runningHours - m.sums.loadedHours;
    if (wasted * UNLOADED_RECOVERY_SHARE >= MIN_KWH_PER_YEAR) {
      out.push(
        opportunity(
          'unloaded_running',
          m.deviceId,
          zh ? `${m.label}：减少空载运行` : `${m.label}: cut unloaded running`,
          wasted * UNLOADED_RECOVERY_SHARE,
          tariff,
          zh
            ? [
                `过去 ${days} 天空载运行 ${unloadedHours.toFixed(1)} 小时，消耗 ${r0(m.sums.unloadedKwh)} kWh（空载功率按额定功率的空载比例计），全年约 ${r0(wasted)} kWh，约 ${money(wasted * tariff.tariffPerKwh, tariff)}。`,
                `缩短空载停机计时器或改用变频机，假设可避免其中 50%。`,
              ]
            : [
                `${unloadedHours.toFixed(1)} h unloaded in the last ${days} days used ${r0(m.sums.unloadedKwh)} kWh (unloaded power = the model's unloaded share of rated power): about ${r0(wasted)} kWh or ${money(wasted * tariff.tariffPerKwh, tariff)} a year.`,
                'Assumed: a shorter unload (idle) timer or a variable-speed machine avoids half of it.',
              ],
        ),
      );
    }
  }

  // Leaks: average non-production flow × specific energy × hours the network is under pressure.
  const leakFlow = input.machines.reduce((acc, m) => acc + (m.sums.leakMinutes > 0 ? m.sums.leakAirM3 / m.sums.leakMinutes : 0), 0);
  const kwh = input.machines.reduce((a, m) => a + m.sums.kwh, 0);
  const air = input.machines.reduce((a, m) => a + m.sums.airM3, 0);
  const pressurisedHours = Math.max(0, ...input.machines.map((m) => m.sums.runningHours));
  if (leakFlow > 0 && air > 0) {
    const specific = kwh / air;
    const leakKwhYear = leakFlow * 60 * specific * pressurisedHours * perYear;
    if (leakKwhYear * LEAK_REPAIR_SHARE >= MIN_KWH_PER_YEAR) {
      out.push(
        opportunity(
          'leaks',
          input.machines.length === 1 ? input.machines[0]!.deviceId : null,
          zh ? `修复泄漏（估计 ${leakFlow.toFixed(2)} m³/min）` : `Repair leaks (about ${leakFlow.toFixed(2)} m³/min)`,
          leakKwhYear * LEAK_REPAIR_SHARE,
          tariff,
          zh
            ? [
                `泄漏流量按非生产时段（夜间 22:00–05:00 及周末，现场时间）的平均流量估计：${leakFlow.toFixed(2)} m³/min。`,
                `比能耗 ${specific.toFixed(3)} kWh/m³，管网带压时间按运行时间最长的机器计（过去 ${days} 天 ${r0(pressurisedHours)} 小时），全年泄漏能耗约 ${r0(leakKwhYear)} kWh。`,
                '假设一次泄漏检测与修复可挽回其中 50%。',
              ]
            : [
                `Leak flow estimated as the average flow in non-production hours (nights 22:00–05:00 and weekends, site time): ${leakFlow.toFixed(2)} m³/min.`,
                `Specific energy ${specific.toFixed(3)} kWh/m³; the network is taken to be under pressure while the longest-running machine runs (${r0(pressurisedHours)} h in the last ${days} days): about ${r0(leakKwhYear)} kWh a year lost to leaks.`,
                'Assumed: a leak survey with repairs recovers half of it.',
              ],
        ),
      );
    }
  }
  return out.sort((a, b) => b.kwhPerYear - a.kwhPerYear);
}
