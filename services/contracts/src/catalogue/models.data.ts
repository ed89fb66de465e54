import type { CompressorModel, ModelLimits, ServicePlan } from '../http/catalogue.schema.ts';

/**
 * AirFleet's own compressor range (fictional brand; figures of docs/domain.md §2 and §5).
 * This is reference data: the platform seeds its catalogue from it and the simulated
 * firmware reads its own machine's figures from it. Part numbers are AirFleet's own.
 */
const STANDARD_LIMITS: ModelLimits = {
  elementTempWarnC: 110,
  elementTempTripC: 120,
  highPressureMarginBar: 0.3,
  separatorDpWarnBar: 0.6,
  separatorDpReplaceBar: 0.7,
  airFilterDpWarnMbar: 40,
  airFilterDpReplaceMbar: 50,
  vibrationNormalMaxMmS: 2.8,
  vibrationWarnMmS: 4.5,
  vibrationTripMmS: 7.1,
  motorCurrentWarnFactor: 1.05,
  motorCurrentTripFactor: 1.15,
  maxStartsPerHour: 6,
  minStopTimeS: 180,
};

/** Kit part numbers per model family: 10 digits, printed NNNN NNNN NN. */
function plan(family: string): ServicePlan {
  const pn = (n: string): string => `48${family}${n}`;
  return {
    levels: [
      { level: 'first', intervalHours: 500, intervalMonths: null, kit: [pn('010001'), pn('020001')], description: 'first service: oil and oil filter' },
      { level: 'A', intervalHours: 2000, intervalMonths: 12, kit: [pn('100001')], description: 'oil filter, air-filter element' },
      { level: 'B', intervalHours: 4000, intervalMonths: 12, kit: [pn('200001')], description: 'level A + separator element + oil' },
      { level: 'C', intervalHours: 8000, intervalMonths: 24, kit: [pn('300001')], description: 'level B + valve kit, drain kit, motor bearing grease' },
    ],
  };
}

export const COMPRESSOR_MODELS: readonly CompressorModel[] = [
  {
    id: 'AF22',
    name: 'AirFleet AF22 (22 kW, fixed speed)',
    drive: 'fixed',
    ratedPowerKw: 24.5,
    fadM3Min: 3.6,
    ratedPressureBar: 7.5,
    maxPressureBar: 8.0,
    flaA: 42,
    unloadedPowerFraction: 0.26,
    receiverM3: 1.0,
    defaultLoadBar: 6.5,
    defaultUnloadBar: 7.5,
    limits: STANDARD_LIMITS,
    servicePlan: plan('22'),
  },
  {
    id: 'AF37',
    name: 'AirFleet AF37 (37 kW, fixed speed)',
    drive: 'fixed',
    ratedPowerKw: 40.5,
    fadM3Min: 6.3,
    ratedPressureBar: 7.5,
    maxPressureBar: 8.0,
    flaA: 68,
    unloadedPowerFraction: 0.25,
    receiverM3: 2.0,
    defaultLoadBar: 6.5,
    defaultUnloadBar: 7.5,
    limits: STANDARD_LIMITS,
    servicePlan: plan('37'),
  },
  {
    id: 'AF75',
    name: 'AirFleet AF75 (75 kW, fixed speed)',
    drive: 'fixed',
    ratedPowerKw: 81,
    fadM3Min: 13.2,
    ratedPressureBar: 7.5,
    maxPressureBar: 8.0,
    flaA: 135,
    unloadedPowerFraction: 0.24,
    receiverM3: 3.0,
    defaultLoadBar: 6.5,
    defaultUnloadBar: 7.5,
    limits: STANDARD_LIMITS,
    servicePlan: plan('75'),
  },
  {
    id: 'AF90V',
    name: 'AirFleet AF90V (90 kW, variable speed)',
    drive: 'vsd',
    ratedPowerKw: 96,
    fadM3Min: 16.0,
    ratedPressureBar: 7.5,
    maxPressureBar: 8.0,
    flaA: 160,
    // A VSD idles at minimum speed rather than unloading: its floor is ~15 % of flow (docs/domain.md §3).
    unloadedPowerFraction: 0.2,
    receiverM3: 3.0,
    defaultLoadBar: 6.8,
    defaultUnloadBar: 7.3,
    limits: STANDARD_LIMITS,
    servicePlan: plan('90'),
  },
];

export function findModel(id: string): CompressorModel | undefined {
  return COMPRESSOR_MODELS.find((m) => m.id === id);
}
