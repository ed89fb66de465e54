import { describe, expect, it } from 'vitest';
import type { PeerResult } from './fleet-peers.domain.ts';
import { healthScore, siteScore, type HealthInputs } from './health-score.domain.ts';

const healthy: HealthInputs = {
  criticalAlarm: false,
  maxElementTempC: 92,
  elementTempWarnC: 110,
  maxSeparatorDpBar: 0.2,
  separatorDpWarnBar: 0.6,
  maxAirFilterDpMbar: 20,
  airFilterDpWarnMbar: 40,
  hadData: true,
  dataGap: false,
  serviceOverdue: false,
  peerChecks: [],
};
const peer = (check: string, outlier: boolean): PeerResult => ({
  deviceId: 'D1',
  check,
  unit: 'u',
  value: 1,
  peerMedian: 1,
  peerMad: 0.1,
  robustZ: outlier ? 5 : 0,
  percentile: 50,
  peers: 5,
  outlier,
});

describe('health score: percent of the day’s checks passed', () => {
  it.each([
    ['a healthy machine', healthy, 100, 6],
    ['a critical alarm and a hot ADT', { ...healthy, criticalAlarm: true, maxElementTempC: 112 }, 66.7, 6],
    ['no data all day: the data check fails, the measured checks are left out', { ...healthy, hadData: false, maxElementTempC: null, maxSeparatorDpBar: null, maxAirFilterDpMbar: null }, 66.7, 3],
    ['one fleet outlier among two peer checks', { ...healthy, peerChecks: [peer('specific_power', true), peer('adt_delta', false)] }, 87.5, 8],
    ['separator and air filter at their warnings, service overdue', { ...healthy, maxSeparatorDpBar: 0.6, maxAirFilterDpMbar: 40, serviceOverdue: true }, 50, 6],
  ])('%s', (_name, inputs, score, total) => {
    const h = healthScore(inputs);
    expect(h.score).toBe(score);
    expect(h.total).toBe(total);
    expect(h.passed).toBe(h.checks.filter((c) => c.passed).length);
  });

  it('the site score is the average of its machines', () => {
    expect(siteScore([100, 50, 75])).toBe(75);
    expect(siteScore([])).toBeNull();
  });
});
