import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { USAGE_GRANULARITIES, type UsageGranularity } from '@airfleet/contracts';
import type { UsageSelection } from '../api/usage.ts';
import { defaultGranularity, isDate, presetRange, RANGE_PRESETS, type RangePreset } from './usage-range.ts';

const SCOPE_KEY = 'airfleet.usage.scope';

function rememberScope(scope: string): void {
  try {
    localStorage.setItem(SCOPE_KEY, scope);
  } catch {
    // Private mode: nothing remembered.
  }
}

/** The scope shown last on this browser (`site:<id>` or `device:<id>`), if any. */
export function rememberedScope(): string | null {
  try {
    return localStorage.getItem(SCOPE_KEY);
  } catch {
    return null;
  }
}

export interface UsageUrlState {
  /** `site:<id>` or `device:<id>`; empty until a default is chosen. */
  scope: string;
  preset: RangePreset | null;
  selection: UsageSelection | null;
}

/**
 * The view lives in the URL (?site=…|device=…, ?range=30d or ?from=…&to=…, ?g=week), so a
 * report can be bookmarked, shared and opened as the print page with the same figures.
 */
export function useUsageUrl(defaultSiteId: string | null, timezoneOf: (scope: string) => string): [UsageUrlState, (patch: Record<string, string | null>) => void] {
  const [params, setParams] = useSearchParams();
  const [now] = useState(() => Date.now());
  const deviceId = params.get('device');
  const siteId = params.get('site') ?? (deviceId ? null : defaultSiteId);
  // The last view is remembered on this browser: the weekly visit opens where the last one ended.
  useEffect(() => {
    if (deviceId || params.get('site')) rememberScope(deviceId ? `device:${deviceId}` : `site:${params.get('site')}`);
  }, [deviceId, params]);
  const scope = deviceId ? `device:${deviceId}` : siteId ? `site:${siteId}` : '';
  const from = params.get('from');
  const to = params.get('to');
  const custom = isDate(from) && isDate(to) && from < to;
  const rangeParam = params.get('range');
  const preset: RangePreset | null = custom ? null : (RANGE_PRESETS as readonly string[]).includes(rangeParam ?? '') ? (rangeParam as RangePreset) : '30d';
  const g = params.get('g');
  const tz = scope ? timezoneOf(scope) : 'UTC';

  const selection = useMemo((): UsageSelection | null => {
    if (!scope) return null;
    const range = custom ? { from: from!, to: to! } : presetRange(preset!, now, tz);
    const granularity: UsageGranularity = (USAGE_GRANULARITIES as readonly string[]).includes(g ?? '') ? (g as UsageGranularity) : defaultGranularity(range.from, range.to);
    return { ...(deviceId ? { deviceId } : { siteId: siteId! }), ...range, granularity };
  }, [scope, custom, from, to, preset, now, tz, g, deviceId, siteId]);

  const patch = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  return [{ scope, preset, selection }, patch];
}

/** The query string of the print page for the same view. */
export function printQuery(sel: UsageSelection): string {
  const q = new URLSearchParams();
  if (sel.deviceId) q.set('device', sel.deviceId);
  else if (sel.siteId) q.set('site', sel.siteId);
  q.set('from', sel.from);
  q.set('to', sel.to);
  q.set('g', sel.granularity);
  return q.toString();
}
