import { describe, expect, it } from 'vitest';
import { leftOut, queryPhase } from './query-phase.ts';

const page = (n: number, total = n) => ({ items: Array.from({ length: n }, (_, i) => i), total });
const isEmpty = (d: { items: unknown[] }) => d.items.length === 0;

describe('queryPhase', () => {
  it('loads while the first answer is on its way', () => {
    expect(queryPhase({ isPending: true, isError: false, data: undefined }, isEmpty)).toBe('loading');
    expect(queryPhase({ isPending: true, isError: false, data: undefined, fetchStatus: 'fetching' }, isEmpty)).toBe('loading');
  });

  it('a disabled query (pending but idle) is not loading: nothing to show', () => {
    expect(queryPhase({ isPending: true, isError: false, data: undefined, fetchStatus: 'idle' }, isEmpty)).toBe('unavailable');
  });

  it('an error wins over stale data', () => {
    expect(queryPhase({ isPending: false, isError: true, data: page(3) }, isEmpty)).toBe('error');
  });

  it('null (no such API on this server) is unavailable, not empty', () => {
    expect(queryPhase({ isPending: false, isError: false, data: null }, isEmpty)).toBe('unavailable');
  });

  it('empty by the page’s own rule, else ready', () => {
    expect(queryPhase({ isPending: false, isError: false, data: page(0) }, isEmpty)).toBe('empty');
    expect(queryPhase({ isPending: false, isError: false, data: page(2) }, isEmpty)).toBe('ready');
    expect(queryPhase({ isPending: false, isError: false, data: page(0) })).toBe('ready');
  });
});

describe('leftOut', () => {
  it('counts what a page leaves out', () => {
    expect(leftOut(page(200, 250))).toEqual({ shown: 200, total: 250 });
  });
  it('is null when everything is shown or the data is not a page', () => {
    expect(leftOut(page(5))).toBeNull();
    expect(leftOut([1, 2])).toBeNull();
    expect(leftOut(null)).toBeNull();
    expect(leftOut({ items: [], total: '3' })).toBeNull();
  });
});
