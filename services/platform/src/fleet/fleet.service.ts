import { withTransaction } from '../db/transaction.ts';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { FleetRunResponse } from '@airfleet/contracts';
import { JUDGMENT_TTL_MS } from '../judgments/judgment-policy.domain.ts';
import type { JudgmentRecord } from '../judgments/judgments.repository.ts';
import type { JudgmentsService } from '../judgments/judgments.service.ts';
import type { RuleStateRepository } from '../rules/rule-state.repository.ts';
import type { JudgmentDraft } from '../rules/rule-types.ts';
import { comparePeers, DEFAULT_PEER_OPTIONS, PEER_CHECKS, specificPowerAtRated, type PeerOptions, type PeerResult } from './fleet-peers.domain.ts';
import type { DeviceDayFigures, FleetRepository } from './fleet.repository.ts';
import { healthScore, siteScore } from './health-score.domain.ts';
import { setpointAdvice } from './setpoint-advice.domain.ts';

const DAY_MS = 86_400_000;
/** Fewer loaded samples than this and a figure is not computed for the day. */
const MIN_SAMPLES = 20;

export interface FleetServiceDeps {
  pool: pg.Pool;
  fleet: FleetRepository;
  ruleState: RuleStateRepository;
  judgments: JudgmentsService;
  log: Logger;
  clock?: () => number;
  peerOptions?: PeerOptions;
}

export function dayBounds(day: string): { startMs: number; endMs: number } {
  const startMs = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(startMs)) throw new Error(`invalid day ${day}`);
  return { startMs, endMs: startMs + DAY_MS };
}

export function previousUtcDay(nowMs: number): string {
  return new Date(nowMs - DAY_MS).toISOString().slice(0, 10);
}

/** The day's comparable figures of one machine (null where the day had too little data). */
export function figuresOf(f: DeviceDayFigures) {
  const specificPower =
    f.loadedSamples >= MIN_SAMPLES && f.loadedPowerKw !== null && f.loadedFlowM3Min !== null && f.loadedPressureBar !== null
      ? specificPowerAtRated(f.loadedPowerKw, f.loadedFlowM3Min, f.loadedPressureBar, f.model.ratedPressureBar)
      : null;
  return {
    specificPower,
    adtDelta: f.adtSamples >= MIN_SAMPLES ? f.adtDeltaK : null,
    // Unloaded running is pure waste (docs/domain.md §4); in percent of running time.
    unloadedShare: f.runningSamples >= MIN_SAMPLES ? (100 * f.unloadedSamples) / f.runningSamples : null,
    // A slope over less than three days of loaded data is mostly noise.
    separatorGrowth: f.separatorSamples >= MIN_SAMPLES && f.separatorSpanDays >= 3 ? f.separatorSlope : null,
  };
}

const FIGURE_OF_CHECK = {
  specific_power: 'specificPower',
  adt_delta: 'adtDelta',
  unloaded_share: 'unloadedShare',
  separator_dp_growth: 'separatorGrowth',
} as const;

const CHECK_LABEL: Record<string, string> = {
  specific_power: 'Specific power at rated pressure',
  adt_delta: 'Element temperature above ambient at load',
  unloaded_share: 'Unloaded share of running time',
  separator_dp_growth: 'Separator ΔP growth',
};

/**
 * The daily fleet job (docs/architecture.md §5): compare each machine with its same-model peers on the
 * day's data, give outliers an `inspect` judgment with the evidence, advise set points
 * where a band is clearly too high, and score every machine's and site's health.
 * Re-runnable for a day: results are replaced, judgments deduplicated.
 */
export function createFleetService(deps: FleetServiceDeps) {
  const clock = deps.clock ?? Date.now;
  const log = deps.log.child({ component: 'fleet' });
  const peerOptions = deps.peerOptions ?? DEFAULT_PEER_OPTIONS;

  async function runFleetAnalysis(options: { day?: string } = {}): Promise<FleetRunResponse> {
    const day = options.day ?? previousUtcDay(clock());
    const { startMs, endMs } = dayBounds(day);
    await deps.fleet.startRun(day, clock());
    const all = await deps.fleet.dayFigures(startMs, endMs);
    const alarms = await deps.fleet.dayAlarms(startMs, endMs);

    const figures = all.map((f) => ({ deviceId: f.deviceId, modelId: f.model.id, samples: f.samples, f, ...figuresOf(f) }));
    const checks: PeerResult[] = [];
    const byModel = new Map<string, typeof figures>();
    for (const x of figures) byModel.set(x.modelId, [...(byModel.get(x.modelId) ?? []), x]);
    for (const group of byModel.values()) {
      for (const spec of PEER_CHECKS) {
        const key = FIGURE_OF_CHECK[spec.check as keyof typeof FIGURE_OF_CHECK];
        const values = group.filter((x) => x[key] !== null).map((x) => ({ deviceId: x.deviceId, value: x[key]! }));
        checks.push(...comparePeers(values, spec, peerOptions));
      }
    }
    const outliers = checks.filter((c) => c.outlier);

    // Judgment time: the end of the analysed day, or now if that is later (expiry runs from then).
    const ts = Math.max(clock(), endMs);
    const drafts: Array<{ deviceId: string; draft: JudgmentDraft }> = [];
    for (const deviceId of new Set(outliers.map((o) => o.deviceId))) {
      // One open judgment per (device, kind): the most extreme finding carries the evidence.
      const worst = outliers.filter((o) => o.deviceId === deviceId).sort((a, b) => Math.abs(b.robustZ) - Math.abs(a.robustZ))[0]!;
      drafts.push({
        deviceId,
        draft: {
          kind: 'inspect',
          severity: 'minor',
          source: 'fleet',
          ts,
          expiresAt: ts + JUDGMENT_TTL_MS.inspect,
          reason: `${CHECK_LABEL[worst.check] ?? worst.check} ${worst.value} ${worst.unit} vs ${worst.peerMedian} ${worst.unit} for ${worst.peers} machines of the same model (${worst.percentile}th percentile): inspect`,
          params: { check: worst.check, value: worst.value, peerMedian: worst.peerMedian, percentile: worst.percentile, peers: worst.peers, unit: worst.unit },
        },
      });
    }
    for (const x of figures) {
      if (x.f.pressureLowBar === null || x.f.pressureHighBar === null) continue;
      const advice = setpointAdvice(x.f.model, { lowBar: x.f.pressureLowBar, highBar: x.f.pressureHighBar, samples: x.f.runningSamples });
      if (!advice) continue;
      drafts.push({
        deviceId: x.deviceId,
        draft: {
          kind: 'setpoint_advice',
          severity: 'info',
          source: 'fleet',
          ts,
          expiresAt: ts + JUDGMENT_TTL_MS.setpoint_advice,
          reason: `Pressure band ${x.f.pressureLowBar.toFixed(1)}–${x.f.pressureHighBar.toFixed(1)} bar is above what this model's standard band needs: lowering it by ${advice.reduceBar} bar saves about ${advice.expectedSavingPct} % energy`,
          params: { loadBar: advice.loadBar, unloadBar: advice.unloadBar, expectedSavingPct: advice.expectedSavingPct },
        },
      });
    }

    const health = figures.map((x) => {
      const a = alarms.get(x.deviceId);
      const l = x.f.model.limits;
      const score = healthScore({
        criticalAlarm: a?.critical ?? false,
        maxElementTempC: x.f.maxElementTempC,
        elementTempWarnC: l.elementTempWarnC,
        maxSeparatorDpBar: x.f.maxSeparatorDpBar,
        separatorDpWarnBar: l.separatorDpWarnBar,
        maxAirFilterDpMbar: x.f.maxAirFilterDpMbar,
        airFilterDpWarnMbar: l.airFilterDpWarnMbar,
        hadData: x.samples > 0,
        dataGap: a?.dataGap ?? false,
        serviceOverdue: a?.serviceOverdue ?? false,
        peerChecks: checks.filter((c) => c.deviceId === x.deviceId),
      });
      return { deviceId: x.deviceId, siteId: x.f.siteId, ...score };
    });
    const bySite = new Map<string, number[]>();
    for (const h of health) bySite.set(h.siteId, [...(bySite.get(h.siteId) ?? []), h.score]);
    const sites = [...bySite].map(([siteId, scores]) => ({ siteId, score: siteScore(scores)!, devices: scores.length }));

    const created: JudgmentRecord[] = [];
    const changed: JudgmentRecord[] = [];
    await withTransaction(deps.pool, async (client) => {
      await deps.fleet.saveDay(day, figures, checks, health, sites, client);
      // Same lock order as ingest (device id), so the job and the rules never race on a device.
      await deps.ruleState.lockAndLoad(
        drafts.map((d) => d.deviceId),
        client,
      );
      for (const { deviceId, draft } of drafts) {
        const r = await deps.judgments.issue(client, deviceId, draft, null);
        changed.push(...r.superseded);
        if (r.created) created.push(r.created);
      }
    });
    for (const r of [...changed, ...created]) deps.judgments.notify(r);
    await deps.judgments.send(created);
    await deps.fleet.finishRun(day, clock(), { devices: figures.length, outliers: outliers.length, judgments: created.length });
    log.info({ day, devices: figures.length, outliers: outliers.length, judgments: created.length }, 'fleet analysis done');
    return {
      day,
      devices: figures.length,
      outliers: outliers.map((o) => ({ deviceId: o.deviceId, check: o.check, value: o.value, peerMedian: o.peerMedian, percentile: o.percentile, peers: o.peers, robustZ: o.robustZ, unit: o.unit })),
      judgments: created.length,
      healthScores: health.length,
    };
  }

  return {
    runFleetAnalysis,
    deviceHealth: (deviceId: string, days: number, scope: string | null) => deps.fleet.deviceHealth(deviceId, days, scope),
    siteHealth: (siteId: string, days: number, scope: string | null) => deps.fleet.siteHealth(siteId, days, scope),
    lastFinishedDay: () => deps.fleet.lastFinishedDay(),
  };
}
export type FleetService = ReturnType<typeof createFleetService>;
