import { describe, expect, it } from 'vitest';
import { findModel } from '@airfleet/contracts';
import { limitLevel, liveHealth } from './health.ts';

const AF37 = findModel('AF37')!;

describe('limits from the model catalogue', () => {
  it('grades ADT against the 110 °C warning and 120 °C trip', () => {
    expect(limitLevel('elementTempC', 95, AF37)).toBe('ok');
    expect(limitLevel('elementTempC', 112, AF37)).toBe('warning');
    expect(limitLevel('elementTempC', 120, AF37)).toBe('trip');
  });

  it('grades motor current against multiples of full-load amps', () => {
    expect(limitLevel('motorCurrentA', AF37.flaA, AF37)).toBe('ok');
    expect(limitLevel('motorCurrentA', AF37.flaA * 1.1, AF37)).toBe('warning');
    expect(limitLevel('motorCurrentA', AF37.flaA * 1.2, AF37)).toBe('trip');
  });

  it('a tripped machine is critical even with every value in range', () => {
    expect(liveHealth({ elementTempC: 80 }, 'tripped', AF37)).toMatchObject({ passed: 1, total: 2, level: 'critical' });
    expect(liveHealth(undefined, 'loaded', AF37)).toBeNull();
  });
});
