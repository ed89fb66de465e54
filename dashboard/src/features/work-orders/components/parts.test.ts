import { describe, expect, it } from 'vitest';
import { formatPartNumber, normalisePartNumber, parseDrafts, toDrafts } from './parts.ts';

describe('work order parts', () => {
  it.each([
    ['4837 1000 01', '4837100001'],
    ['4837-1000-01', '4837100001'],
    ['4837.1000.01', '4837100001'],
    ['4837100001', '4837100001'],
    // A lost leading zero comes back (docs/domain.md §6).
    ['123 4567 89', '0123456789'],
    ['', null],
    ['4837 1000 011', null],
    ['29A7 1000 01', null],
  ])('reads %j as %j', (typed, expected) => {
    expect(normalisePartNumber(typed)).toBe(expected);
  });

  it('prints the 10 digits in groups and round-trips a kit through the editor', () => {
    expect(formatPartNumber('4837100001')).toBe('4837 1000 01');
    const kit = [{ partNumber: '4837100001', quantity: 1 }, { partNumber: '4837200001', quantity: 2 }];
    expect(parseDrafts(toDrafts(kit))).toEqual({ parts: kit });
  });

  it('adds up a part typed on two lines and points at the first bad line', () => {
    expect(parseDrafts([{ partNumber: '4837 1000 01', quantity: 1 }, { partNumber: '4837-1000-01', quantity: '2' }])).toEqual({ parts: [{ partNumber: '4837100001', quantity: 3 }] });
    expect(parseDrafts([{ partNumber: '4837 1000 01', quantity: 1 }, { partNumber: '4837 1000', quantity: 0 }])).toEqual({ badLine: 1 });
    expect(parseDrafts([{ partNumber: '4837 1000 01', quantity: '' }])).toEqual({ badLine: 0 });
    expect(parseDrafts([{ partNumber: '4837 1000 01', quantity: 1.5 }])).toEqual({ badLine: 0 });
    expect(parseDrafts([])).toEqual({ parts: [] });
  });
});
