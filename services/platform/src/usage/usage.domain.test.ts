import { describe, expect, it } from 'vitest';
import { addSums, computeUsage, counterDelta, emptySums, gapCapForInterval, integrateDevice, ratedSpecificEnergy, type UsageSample } from './usage.domain.ts';
import { isNonProduction, periodsBetween, localDateToUtc } from './local-time.domain.ts';
import { savingsAdvice } from './savings.domain.ts';

const MIN = 60_000;
/** The hand figures below assume a machine reporting every 100 s or less: 3 intervals = 5 min. */
const CAP = 5 * MIN;
const T0 = Date.UTC(2026, 10, 18, 10, 0); // Wednesday 2026-11-18 10:00 UTC
const MODEL = { ratedPowerKw: 40.5, fadM3Min: 6.3, unloadedPowerFraction: 0.25 };
const TARIFF = { currency: 'EUR', tariffPerKwh: 0.2, gridCo2KgPerKwh: 0.4 };

function s(minute: number, p: Partial<UsageSample> = {}, base = T0): UsageSample {
  return { ts: base + minute * MIN, state: 'loaded', powerKw: 40, flowM3Min: 6, runningHours: null, loadedHours: null, ...p };
}
const wholeDay = (ms: number, tz = 'UTC') => periodsBetween(localDateToUtc(new Date(ms).toISOString().slice(0, 10), tz), localDateToUtc(new Date(ms).toISOString().slice(0, 10), tz) + 86_400_000, 'day', tz);

describe('integrateDevice: energy, air, hours (hand-computed)', () => {
  const cases: Array<{ name: string; samples: UsageSample[]; expect: Record<string, number> }> = [
    {
      name: 'trapezoid: 30→40→40 kW over two minutes = (35 + 40) / 60 kWh',
      samples: [s(0, { powerKw: 30 }), s(1, { powerKw: 40 }), s(2, { powerKw: 40 })],
      expect: { kwh: 75 / 60, coveredHours: 2 / 60, gapHours: 0 },
    },
    {
      name: 'air: 6 m³/min for 2 min = 12 m³; kWh/m³ = (80/60)/12',
      samples: [s(0), s(1), s(2)],
      expect: { kwh: 80 / 60, airM3: 12 },
    },
    {
      name: 'gap: 10:02 → 10:20 (18 min > 5 min cap) is not integrated, reported as 0.3 h gap',
      samples: [s(0), s(1), s(2), s(20), s(21)],
      expect: { kwh: (40 * 3) / 60, airM3: 18, coveredHours: 3 / 60, gapHours: 0.3 },
    },
    {
      name: 'counters: running +0.05 h, loaded +0.03 h over 3 min',
      samples: [s(0, { runningHours: 100, loadedHours: 80 }), s(3, { runningHours: 100.05, loadedHours: 80.03 })],
      expect: { runningHours: 0.05, loadedHours: 0.03, unloadedKwh: 0.02 * 40.5 * 0.25 },
    },
    {
      name: 'counter reset: 100.0 → 100.01 → 0.01 counts 0.01 + 0.01 (never the −100 h step)',
      samples: [s(0, { runningHours: 100, loadedHours: 50 }), s(1, { runningHours: 100.01, loadedHours: 50.01 }), s(2, { runningHours: 0.01, loadedHours: 0.005 })],
      expect: { runningHours: 0.02, loadedHours: 0.015 },
    },
    {
      name: 'counter jump larger than elapsed time is capped at elapsed time (1 min)',
      samples: [s(0, { runningHours: 100, loadedHours: 50 }), s(1, { runningHours: 600, loadedHours: 50 })],
      expect: { runningHours: 1 / 60, loadedHours: 0 },
    },
    {
      name: 'counters carry across a gap (hours are known even without samples)',
      samples: [s(0, { runningHours: 10, loadedHours: 5 }), s(60, { runningHours: 10.5, loadedHours: 5.25 })],
      expect: { runningHours: 0.5, loadedHours: 0.25, kwh: 0, gapHours: 1 },
    },
    {
      name: 'without counters the state decides: 2 min loaded + 1 min unloaded + 1 min stopped',
      samples: [s(0), s(1), s(2, { state: 'unloaded' }), s(3, { state: 'stopped' }), s(4, { state: 'stopped' })],
      expect: { runningHours: 3 / 60, loadedHours: 2 / 60 },
    },
    {
      name: 'null power is not integrated (no zero invented)',
      samples: [s(0), s(1, { powerKw: null }), s(2), s(3)],
      expect: { kwh: 40 / 60 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const [sum] = integrateDevice(c.samples, wholeDay(T0), MODEL, 'UTC', CAP);
      for (const [k, v] of Object.entries(c.expect)) expect(sum![k as keyof typeof sum], k).toBeCloseTo(v, 9);
    });
  }

  it('splits an interval exactly at a period boundary (linear interpolation)', () => {
    const mid = Date.UTC(2026, 10, 18, 23, 59);
    // 23:59 → 00:01, power 40 → 60: day 1 gets (40+50)/2 × 1 min, day 2 (50+60)/2 × 1 min.
    const samples = [s(0, { powerKw: 40 }, mid), s(2, { powerKw: 60 }, mid)];
    const periods = periodsBetween(Date.UTC(2026, 10, 18), Date.UTC(2026, 10, 20), 'day', 'UTC');
    const [d1, d2] = integrateDevice(samples, periods, MODEL, 'UTC', CAP);
    expect(d1!.kwh).toBeCloseTo(45 / 60, 9);
    expect(d2!.kwh).toBeCloseTo(55 / 60, 9);
  });
});

describe('figures: load factor, leak, cost, CO₂, specific energy', () => {
  // Wednesday 2026-11-18 (UTC site): production 10:00–10:10 at 40 kW / 6 m³/min; night
  // 23:00–23:10 at 12 kW / 1.5 m³/min (the leak). Counters: running +0.015 h and loaded
  // +0.01 h per sample step, and 1000.15 → 1000.3 / 500.1 → 500.2 across the 12:50 h gap.
  const day = Array.from({ length: 11 }, (_, i) => s(i, { runningHours: 1000 + i * 0.015, loadedHours: 500 + i * 0.01 }));
  const night = Array.from({ length: 11 }, (_, i) =>
    s(13 * 60 + i, { powerKw: 12, flowM3Min: 1.5, runningHours: 1000.3 + i * 0.015, loadedHours: 500.2 + i * 0.01 }),
  );
  const from = Date.UTC(2026, 10, 18);
  const result = computeUsage({
    devices: [{ deviceId: 'd1', model: MODEL, samples: [...day, ...night], peerMedian: 0.12, gapCapMs: CAP }],
    fromMs: from,
    toMs: from + 86_400_000,
    granularity: 'day',
    timeZone: 'UTC',
    tariff: TARIFF,
  });
  const row = result.rows[0]!;
  it.each([
    // 10 min × 40 kW = 6.667 kWh; 10 min × 12 kW = 2 kWh → 8.667 kWh
    ['kwh', 8.667],
    // 10 × 6 + 10 × 1.5 = 75 m³
    ['airM3', 75],
    // counters: 0.15 (day) + 0.15 (across the gap) + 0.15 (night) = 0.45 h running
    ['runningHours', 0.45],
    // 0.1 + 0.1 + 0.1 = 0.3 h loaded
    ['loadedHours', 0.3],
    // 0.3 / 0.45
    ['loadFactor', 0.6667],
    // 8.6667 / 75
    ['specificEnergyKwhM3', 0.1156],
    // 40.5 / (6.3 × 60)
    ['ratedSpecificEnergyKwhM3', 0.1071],
    ['peerMedianSpecificEnergyKwhM3', 0.12],
    // night flow only
    ['leakFlowM3Min', 1.5],
    // 8.6667 × 0.20
    ['cost', 1.73],
    // 8.6667 × 0.40
    ['co2Kg', 3.467],
    // 0.15 h unloaded × 40.5 kW × 0.25 = 1.51875
    ['unloadedKwh', 1.519],
  ] as const)('%s = %s', (key, value) => {
    expect(row[key]).toBeCloseTo(value, 3);
  });
  it('rows and totals agree for a single period', () => {
    expect(result.totals.kwh).toBe(row.kwh);
  });
  it('rated specific energy = rated power / FAD', () => {
    expect(ratedSpecificEnergy(MODEL)).toBeCloseTo(40.5 / 378, 12);
  });
});

describe('local calendar', () => {
  it.each([
    // Saturday 12:00 UTC in London
    [Date.UTC(2026, 10, 21, 12), 'Europe/London', true],
    [Date.UTC(2026, 10, 18, 12), 'Europe/London', false],
    // 14:00 UTC is 22:00 in Shanghai
    [Date.UTC(2026, 10, 18, 14), 'Asia/Shanghai', true],
    [Date.UTC(2026, 10, 18, 13, 59), 'Asia/Shanghai', false],
    // 04:59 Chicago (CST = UTC−6) is night, 05:00 is not
    [Date.UTC(2026, 10, 18, 10, 59), 'America/Chicago', true],
    [Date.UTC(2026, 10, 18, 11, 0), 'America/Chicago', false],
  ])('isNonProduction(%s, %s) = %s', (ms, tz, expected) => {
    expect(isNonProduction(ms, tz)).toBe(expected);
  });

  it('weeks start on Monday in the site zone, months are calendar months, DST days are 23/25 h', () => {
    const weeks = periodsBetween(Date.UTC(2026, 10, 18), Date.UTC(2026, 11, 1), 'week', 'Asia/Shanghai');
    expect(weeks.map((w) => w.label)).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
    expect(new Date(weeks[1]!.startMs).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    const months = periodsBetween(Date.UTC(2026, 0, 15), Date.UTC(2026, 2, 2), 'month', 'UTC');
    expect(months.map((m) => m.label)).toEqual(['2026-01', '2026-02', '2026-03']);
    const dst = periodsBetween(localDateToUtc('2026-03-29', 'Europe/London'), localDateToUtc('2026-03-30', 'Europe/London'), 'day', 'Europe/London');
    expect((dst[0]!.endMs - dst[0]!.startMs) / 3_600_000).toBe(23);
  });

  it('counterDelta', () => {
    expect(counterDelta(null, 5, 1)).toBeNull();
    expect(counterDelta(5, 5.5, 1)).toBe(0.5);
    expect(counterDelta(5000, 0.2, 1)).toBe(0.2);
    // Rounding noise (a last-bit float difference, or 0.01 h resolution) is not a reset.
    expect(counterDelta(2000 + 10 / 60 + 10 / 60, 2000 + 20 / 60, 12)).toBe(0);
    expect(counterDelta(100.02, 100.01, 12)).toBe(0);
  });
});

describe('savings advice', () => {
  const sums = { kwh: 1000, airM3: 9000, runningHours: 100, loadedHours: 80, unloadedHours: 20, unloadedKwh: 200, leakAirM3: 600, leakMinutes: 600, coveredHours: 100, gapHours: 0, ratedWeighted: 0 };
  const advice = savingsAdvice({
    machines: [{ deviceId: 'd1', label: 'AF37 #1', sums, avgLoadedPressureBar: 7.4, modelLoadBar: 6.5 }],
    basisDays: 36.5, // ×10 to a year
    tariff: TARIFF,
    locale: 'en',
  });
  const byKind = Object.fromEntries(advice.map((a) => [a.kind, a]));
  it('pressure: (1000 − 200) kWh loaded × 7 %/bar × 0.5 bar × 10 = 280 kWh/yr = 56 EUR', () => {
    expect(byKind.pressure_band!.kwhPerYear).toBe(280);
    expect(byKind.pressure_band!.moneyPerYear).toBe(56);
  });
  it('unloaded: 200 kWh × 10 × 50 % = 1000 kWh/yr', () => {
    expect(byKind.unloaded_running!.kwhPerYear).toBe(1000);
    expect(byKind.unloaded_running!.co2KgPerYear).toBe(400);
  });
  it('leaks: 1 m³/min × 60 × (1000/9000) kWh/m³ × 100 h × 10 × 50 % = 3333 kWh/yr', () => {
    expect(byKind.leaks!.kwhPerYear).toBe(3333);
    expect(byKind.leaks!.assumptions.join(' ')).toMatch(/nights 22:00–05:00/);
  });
  it('speaks Chinese when asked', () => {
    const zh = savingsAdvice({ machines: [{ deviceId: 'd1', label: 'AF37', sums, avgLoadedPressureBar: 7.4, modelLoadBar: 6.5 }], basisDays: 36.5, tariff: TARIFF, locale: 'zh-CN' });
    expect(zh.find((a) => a.kind === 'leaks')!.title).toMatch(/泄漏/);
  });
});

describe('gap cap follows the reporting interval (3 intervals, as the data-gap alarm), at least 5 minutes', () => {
  it.each([
    [1000, 300_000],
    [5000, 300_000],
    [60_000, 300_000],
    [120_000, 360_000],
    [300_000, 900_000],
    [900_000, 2_700_000],
    [null, 300_000],
  ])('interval %s ms → cap %s ms', (interval, cap) => {
    expect(gapCapForInterval(interval)).toBe(cap);
  });

  // Two London days at a constant 40 kW / 6 m³/min, samples every `interval` with ±20 % jitter
  // (deterministic): nothing may be dropped, whatever the interval. Hand figure: 40 kW × 48 h.
  const from = localDateToUtc('2026-11-18', 'Europe/London');
  const days = periodsBetween(from, from + 2 * 86_400_000, 'day', 'Europe/London');
  const jittered = (intervalMs: number): UsageSample[] => {
    const out: UsageSample[] = [];
    for (let t = from - intervalMs, i = 0; t <= from + 2 * 86_400_000 + 2 * intervalMs; i++) {
      out.push({ ts: t, state: 'loaded', powerKw: 40, flowM3Min: 6, runningHours: null, loadedHours: null });
      t += intervalMs * (1 + 0.2 * Math.sin(i * 1.7));
    }
    return out;
  };
  it.each([1000, 5000, 60_000, 300_000, 900_000])('reporting every %s ms: 1920 kWh, 17 280 m³, no gap hours', (interval) => {
    const sums = integrateDevice(jittered(interval), days, MODEL, 'Europe/London', gapCapForInterval(interval)).reduce(addSums, emptySums());
    expect(sums.kwh).toBeCloseTo(1920, 6);
    expect(sums.airM3).toBeCloseTo(17_280, 5);
    expect(sums.coveredHours).toBeCloseTo(48, 9);
    expect(sums.gapHours).toBe(0);
  });
  it('a machine that now reports every 5 s keeps the energy of its minute-by-minute history', () => {
    // The birth message states today's interval; 3 × 5 s would call every older pair a gap.
    const sums = integrateDevice(jittered(60_000), days, MODEL, 'Europe/London', gapCapForInterval(5000)).reduce(addSums, emptySums());
    expect(sums.kwh).toBeCloseTo(1920, 6);
    expect(sums.gapHours).toBe(0);
  });
  it('silence of more than 3 intervals is a gap: a 5-minute reporter missing 4 samples loses 25 min', () => {
    const samples = jittered(300_000).filter((x) => x.ts < from + 10 * 3_600_000 || x.ts > from + 10 * 3_600_000 + 24 * MIN);
    const sums = integrateDevice(samples, days, MODEL, 'Europe/London', gapCapForInterval(300_000)).reduce(addSums, emptySums());
    expect(sums.gapHours).toBeGreaterThan(0.3);
    expect(sums.gapHours + sums.coveredHours).toBeCloseTo(48, 9);
  });
});

describe('day sums are additive: any report = the sum of its site-local days', () => {
  // Five London days around the DST change, with a gap, a counter reset and night leaks.
  const tz = 'Europe/London';
  const from = localDateToUtc('2026-10-23', tz);
  const to = localDateToUtc('2026-10-28', tz);
  const samples: UsageSample[] = [];
  let rh = 4000;
  for (let t = from - 7 * MIN, i = 0; t < to + 7 * MIN; t += 60_000 + ((i * 7919) % 20_000), i++) {
    if (t > from + 30 * 3_600_000 && t < from + 33 * 3_600_000) continue; // a 3-hour gap
    if (i === 4000) rh = 0.01; // controller replaced
    rh += 1 / 60;
    samples.push({ ts: t, state: i % 5 ? 'loaded' : 'unloaded', powerKw: 20 + (i % 13), flowM3Min: i % 5 ? 5 + (i % 3) : 0, runningHours: rh, loadedHours: rh * 0.8 });
  }
  const cap = gapCapForInterval(60_000);
  it('Σ days = one period over the whole range, for every additive sum', () => {
    const daySums = integrateDevice(samples, periodsBetween(from, to, 'day', tz), MODEL, tz, cap);
    expect(daySums.map((d) => d.coveredHours + d.gapHours)).toEqual([24, 24, 25, 24, 24].map((h) => expect.closeTo(h, 9)));
    const summed = daySums.reduce(addSums, emptySums());
    const [whole] = integrateDevice(samples, [{ label: 'all', startMs: from, endMs: to }], MODEL, tz, cap);
    for (const k of Object.keys(whole!) as Array<keyof typeof summed>) expect(summed[k], k).toBeCloseTo(whole![k], 6);
    expect(whole!.gapHours).toBeGreaterThan(2.9);
  });
});
