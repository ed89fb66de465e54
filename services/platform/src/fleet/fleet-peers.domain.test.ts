import { describe, expect, it } from 'vitest';
import { comparePeers, mad, median, PEER_CHECKS, percentileRank, specificPowerAtRated } from './fleet-peers.domain.ts';

const SP = PEER_CHECKS.find((c) => c.check === 'specific_power')!;
const ADT = PEER_CHECKS.find((c) => c.check === 'adt_delta')!;

describe('robust statistics', () => {
  it.each([
    [[3], 3],
    [[1, 2, 3, 4], 2.5],
    [[5, 1, 9], 5],
  ])('median(%j) = %d', (xs, m) => expect(median(xs)).toBe(m));

  it('MAD ignores one wild value, unlike a standard deviation', () => {
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(mad([6, 6, 6, 6, 6, 600])).toBe(0);
  });

  it('percentile counts peers below, ties half', () => {
    expect(percentileRank(10, [1, 2, 3, 4])).toBe(100);
    expect(percentileRank(0, [1, 2, 3, 4])).toBe(0);
    expect(percentileRank(2, [1, 2, 3, 4])).toBe(37.5);
  });

  it('specific power is referred to the rated pressure (≈ 7 %/bar)', () => {
    expect(specificPowerAtRated(40, 6.4, 7.5, 7.5)).toBeCloseTo(6.25, 6);
    expect(specificPowerAtRated(40 * 1.07, 6.4, 8.5, 7.5)).toBeCloseTo(6.25, 6);
    expect(specificPowerAtRated(40, 0, 7.5, 7.5)).toBeNull();
  });
});

describe('comparePeers', () => {
  const fleet = (values: number[]) => values.map((value, i) => ({ deviceId: `D${i}`, value }));

  it('flags exactly the planted outlier (20 % worse specific power), with its evidence', () => {
    const results = comparePeers(fleet([6.2, 6.25, 6.3, 6.22, 6.28, 6.25 * 1.2]), SP);
    expect(results.filter((r) => r.outlier).map((r) => r.deviceId)).toEqual(['D5']);
    expect(results.find((r) => r.deviceId === 'D5')).toMatchObject({ peers: 5, percentile: 100, peerMedian: 6.25, unit: 'kW/(m³/min)' });
  });

  it('a better-than-peers machine is not an outlier (only the bad direction counts)', () => {
    expect(comparePeers(fleet([6.2, 6.25, 6.3, 6.22, 6.28, 5.0]), SP).some((r) => r.outlier)).toBe(false);
  });

  it('needs at least four peers', () => {
    expect(comparePeers(fleet([6.2, 6.25, 6.3, 6.25 * 1.5]), SP)).toEqual([]);
    expect(comparePeers(fleet([6.2, 6.25, 6.3, 6.22, 6.25 * 1.5]), SP).filter((r) => r.outlier)).toHaveLength(1);
  });

  it('identical peers do not make a trivial difference significant (MAD floor and practical minimum)', () => {
    expect(comparePeers(fleet([60, 60, 60, 60, 60, 62]), ADT).some((r) => r.outlier)).toBe(false);
    expect(comparePeers(fleet([60, 60, 60, 60, 60, 68]), ADT).filter((r) => r.outlier).map((r) => r.deviceId)).toEqual(['D5']);
  });
});
