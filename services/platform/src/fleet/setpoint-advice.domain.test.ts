import { describe, expect, it } from 'vitest';
import { findModel } from '@airfleet/contracts';
import { setpointAdvice } from './setpoint-advice.domain.ts';

const AF37 = findModel('AF37')!; // default band 6.5–7.5 bar, max 8.0 bar

describe('set-point advice (conservative, ≈ 7 % per bar)', () => {
  it.each([
    ['the standard band', 6.5, 7.5, null],
    ['a little above: not clearly too high', 6.9, 7.9, null],
    ['clearly above: lower by the excess minus a margin', 7.3, 7.9, { loadBar: 6.7, unloadBar: 7.3, expectedSavingPct: 4.2 }],
  ])('%s (%d–%d bar)', (_name, low, high, expected) => {
    const advice = setpointAdvice(AF37, { lowBar: low, highBar: high, samples: 1000 });
    if (expected === null) expect(advice).toBeNull();
    else expect(advice).toMatchObject(expected);
  });

  it('never advises from too few samples', () => {
    expect(setpointAdvice(AF37, { lowBar: 7.3, highBar: 7.9, samples: 10 })).toBeNull();
  });
});
