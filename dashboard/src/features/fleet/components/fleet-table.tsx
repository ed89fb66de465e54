import { Badge, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { AlarmSeverity } from '@airfleet/contracts';
import { StateBadge } from '../../../components/state-badge.tsx';
import { useNow } from '../../../components/use-now.ts';
import { formatAgo, formatNumber } from '../../../lib/format.ts';
import type { FleetRow, SortDir, SortKey } from './fleet-view.ts';
import classes from './fleet-table.module.css';

const ROW_HEIGHT = 52;
/** Older than this, "last seen" is shown as stale (3 × the default 5 s telemetry period, with margin). */
const STALE_MS = 60_000;

const SEVERITY_COLOR: Record<AlarmSeverity, string> = { critical: 'red', major: 'orange', minor: 'yellow', warning: 'blue' };
const HEALTH_COLOR = { good: 'var(--mantine-color-green-6)', attention: 'var(--mantine-color-orange-6)', critical: 'var(--mantine-color-red-7)' };

interface Column {
  key: SortKey;
  label: string;
  align: 'left' | 'right';
}

interface FleetTableProps {
  rows: readonly FleetRow[];
  sort: SortKey;
  dir: SortDir;
  onSort: (key: SortKey) => void;
}

/**
 * The fleet as an ARIA table whose rows are virtualised: only the ~20 visible rows exist in
 * the DOM, so 10k machines scroll as smoothly as 10. aria-rowcount/aria-rowindex tell
 * assistive technology the real size and position.
 */
export function FleetTable({ rows, sort, dir, onSort }: FleetTableProps) {
  const { t } = useTranslation();
  const scrollerRef = useRef<HTMLDivElement>(null);
  const now = useNow(5000);
  // The rows re-render from `rows` anyway; nothing here relies on compiler memoisation.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => rows[index]?.id ?? index,
  });

  const columns: Column[] = [
    { key: 'machine', label: t('fleet.columns.machine'), align: 'left' },
    { key: 'site', label: t('fleet.columns.site'), align: 'left' },
    { key: 'state', label: t('fleet.columns.state'), align: 'left' },
    { key: 'pressure', label: `${t('fleet.columns.pressure')} (${t('units.bar')})`, align: 'right' },
    { key: 'adt', label: `${t('fleet.columns.adt')} (${t('units.celsius')})`, align: 'right' },
    { key: 'power', label: `${t('fleet.columns.power')} (${t('units.kw')})`, align: 'right' },
    { key: 'alarms', label: t('fleet.columns.alarms'), align: 'right' },
    { key: 'health', label: t('fleet.columns.health'), align: 'right' },
    { key: 'lastSeen', label: t('fleet.columns.lastSeen'), align: 'right' },
  ];

  return (
    <div className={classes.wrapper}>
      <div role="table" aria-label={t('fleet.table')} aria-rowcount={rows.length + 1} className={classes.table} data-testid="fleet-table">
        <div role="rowgroup">
          <div role="row" aria-rowindex={1} className={classes.header}>
            {columns.map((c) => (
              <div
                key={c.key}
                data-col={c.key}
                role="columnheader"
                aria-sort={sort === c.key ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
              >
                <button type="button" className={classes.sortButton} data-align={c.align} onClick={() => onSort(c.key)} title={t('fleet.sortBy', { column: c.label })}>
                  <span>{c.label}</span>
                  <span aria-hidden="true">{sort === c.key ? (dir === 'asc' ? '▲' : '▼') : ''}</span>
                </button>
              </div>
            ))}
          </div>
        </div>
        <div ref={scrollerRef} className={classes.scroller} role="rowgroup" tabIndex={-1}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const row = rows[v.index]!;
              return <FleetRowView key={row.id} row={row} index={v.index} start={v.start} now={now} />;
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

/**
 * Glows when `token` changes while the row is on screen. A row scrolled into view mounts
 * with its current token and stays calm; only a live update replays the animation (the
 * inner span remounts under a new key).
 */
function FlashOnChange({ token, children }: { token: string | number; children: ReactNode }) {
  const [mountedWith] = useState(token);
  return (
    <span key={token} className={token === mountedWith ? undefined : classes.flash}>
      {children}
    </span>
  );
}

interface RowProps {
  row: FleetRow;
  index: number;
  start: number;
  now: number;
}

const FleetRowView = memo(function FleetRowView({ row, index, start, now }: RowProps) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const lng = i18n.language;
  const style: CSSProperties = { height: ROW_HEIGHT, transform: `translateY(${start}px)` };
  const ago = formatAgo(row.lastSeenMs, now, t) ?? t('fleet.never');
  const stale = row.lastSeenMs === null || now - row.lastSeenMs > STALE_MS;
  const flashKey = row.seq ?? 'none';
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={classes.row}
      style={style}
      data-state={row.state}
      data-device-id={row.id}
      onClick={(e) => {
        if (!(e.target as HTMLElement).closest('a')) void navigate(`/machines/${encodeURIComponent(row.id)}`);
      }}
    >
      <div role="cell" className={classes.ellipsis}>
        <Link to={`/machines/${encodeURIComponent(row.id)}`} className={classes.machineLink}>
          {row.id}
        </Link>
        <span className={classes.sub}>
          {row.modelId} · <span className={classes.serialInline}>{row.serial}</span>
          <span className={classes.siteInline}>{row.siteName}</span>
        </span>
      </div>
      <div role="cell" className={classes.ellipsis} data-col="site">
        <span className={classes.sub}>{row.customerName}</span>
        <span className={classes.ellipsis}>{row.siteName}</span>
      </div>
      <div role="cell">
        <StateBadge state={row.state} size="sm" />
      </div>
      <div role="cell" className={classes.num} data-metric="pressure">
        <FlashOnChange token={flashKey}>{formatNumber(row.pressure, lng, 2)}</FlashOnChange>
      </div>
      <div role="cell" className={`${classes.num} ${row.adtLevel === 'trip' ? classes.trip : row.adtLevel === 'warning' ? classes.warning : ''}`} data-metric="adt">
        {formatNumber(row.adt, lng, 1)}
      </div>
      <div role="cell" className={classes.num} data-metric="power">
        {formatNumber(row.power, lng, 1)}
      </div>
      <div role="cell" className={classes.num}>
        {row.alarms === null ? (
          '—'
        ) : row.alarms.total === 0 ? (
          <Text span c="dimmed" size="sm">
            0
          </Text>
        ) : (
          <Badge color={row.alarms.worst ? SEVERITY_COLOR[row.alarms.worst] : 'gray'} variant="filled" size="sm" title={t('fleet.alarmsTitle', { count: row.alarms.total })}>
            {row.alarms.total}
          </Badge>
        )}
      </div>
      <div role="cell" className={classes.num} title={row.health ? t('fleet.healthTitle', { passed: row.health.passed, total: row.health.total }) : undefined}>
        {row.health ? (
          <>
            <span className={classes.healthDot} style={{ background: HEALTH_COLOR[row.health.level] }} aria-hidden="true" />
            {row.health.score}
            {t('units.pct')}
          </>
        ) : (
          '—'
        )}
      </div>
      <div role="cell" className={`${classes.num} ${stale ? classes.stale : ''}`}>
        {ago}
      </div>
    </div>
  );
});
