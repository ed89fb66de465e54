import type { PeerResult } from './fleet-peers.domain.ts';

export interface HealthInputs {
  /** A critical alarm was active at some time of the day. */
  criticalAlarm: boolean;
  maxElementTempC: number | null;
  elementTempWarnC: number;
  maxSeparatorDpBar: number | null;
  separatorDpWarnBar: number;
  maxAirFilterDpMbar: number | null;
  airFilterDpWarnMbar: number;
  /** Telemetry arrived that day. */
  hadData: boolean;
  /** A data-gap alarm overlapped the day. */
  dataGap: boolean;
  serviceOverdue: boolean;
  peerChecks: readonly PeerResult[];
}

export interface HealthCheck {
  check: string;
  passed: boolean;
  detail: string;
}

export interface HealthScore {
  score: number;
  passed: number;
  total: number;
  checks: HealthCheck[];
}

/**
 * Daily health score like SMARTLINK's (docs/domain.md §4): a set of checks passes or fails and
 * the score is the share passed, in percent. A check without data is left out rather than
 * failed, except "data" itself: a machine that sent nothing all day fails that one.
 */
export function healthScore(h: HealthInputs): HealthScore {
  const checks: HealthCheck[] = [];
  const add = (check: string, passed: boolean, detail: string): void => {
    checks.push({ check, passed, detail });
  };
  add('no_critical_alarm', !h.criticalAlarm, h.criticalAlarm ? 'a critical alarm was active' : 'no critical alarm');
  if (h.maxElementTempC !== null) {
    add('adt_normal', h.maxElementTempC < h.elementTempWarnC, `max element temperature ${h.maxElementTempC.toFixed(1)} °C (warning ${h.elementTempWarnC} °C)`);
  }
  if (h.maxSeparatorDpBar !== null) {
    add('separator_dp_ok', h.maxSeparatorDpBar < h.separatorDpWarnBar, `max separator ΔP ${h.maxSeparatorDpBar.toFixed(2)} bar (warning ${h.separatorDpWarnBar} bar)`);
  }
  if (h.maxAirFilterDpMbar !== null) {
    add('air_filter_dp_ok', h.maxAirFilterDpMbar < h.airFilterDpWarnMbar, `max air-filter ΔP ${h.maxAirFilterDpMbar.toFixed(0)} mbar (warning ${h.airFilterDpWarnMbar} mbar)`);
  }
  add('no_data_gap', h.hadData && !h.dataGap, !h.hadData ? 'no telemetry that day' : h.dataGap ? 'telemetry stopped while online' : 'telemetry complete');
  add('service_not_overdue', !h.serviceOverdue, h.serviceOverdue ? 'a service level is overdue' : 'service plan kept');
  for (const p of h.peerChecks) {
    add(`peers_${p.check}`, !p.outlier, `${p.value} ${p.unit} vs peer median ${p.peerMedian} ${p.unit} (${p.percentile}th percentile of ${p.peers} peers)`);
  }
  const passed = checks.filter((c) => c.passed).length;
  return { score: Math.round((passed / checks.length) * 1000) / 10, passed, total: checks.length, checks };
}

/** The site's score of a day: the average of its machines' scores. */
export function siteScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  return Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10;
}
