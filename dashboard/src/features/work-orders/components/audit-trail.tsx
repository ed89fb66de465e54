import { Badge, Group, Stack, Text, Timeline } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { SERVICE_LEVELS, WORK_ORDER_STATUSES, type WorkOrderAuditEntry } from '@airfleet/contracts';
import { formatDateTime } from '../../../lib/format.ts';
import { formatPartNumber } from './parts.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const FIELDS = [
  'title',
  'description',
  'level',
  'status',
  'partsPlanned',
  'scheduledFor',
  'technicianId',
  'startedAt',
  'completedAt',
  'cancelledAt',
  'cancelReason',
  'completion',
  'judgmentId',
  'deviceAck',
  'deviceId',
  'itemKey',
  'requestId',
] as const;
type Field = (typeof FIELDS)[number];
const isField = (f: string): f is Field => (FIELDS as readonly string[]).includes(f);
const isOneOf = <T extends string>(all: readonly T[], v: unknown): v is T => typeof v === 'string' && (all as readonly string[]).includes(v);

interface Ctx {
  lng: string;
  t: TFunction;
  /** Technician names by user id: the audit stores ids. */
  names: ReadonlyMap<string, string>;
}

function parts(value: unknown[], ctx: Ctx): string {
  if (value.length === 0) return ctx.t('service.common.none');
  return value
    .map((v) => (v && typeof v === 'object' && 'partNumber' in v ? `${formatPartNumber(String(v.partNumber))} × ${String((v as { quantity?: unknown }).quantity ?? 1)}` : show(v, null, ctx)))
    .join(', ');
}

/** A before/after value as a person reads it: statuses and levels in their language, dates localised, people by name. */
function show(value: unknown, field: string | null, ctx: Ctx): string {
  const { t, lng, names } = ctx;
  if (value === null || value === undefined || value === '') return t('service.common.none');
  if (field === 'status' && isOneOf(WORK_ORDER_STATUSES, value)) return t(`service.workOrders.status.${value}`);
  if (field === 'level' && isOneOf(SERVICE_LEVELS, value)) return t(`service.level.${value}`);
  if (field === 'technicianId' && typeof value === 'string') return names.get(value) ?? value;
  if (typeof value === 'string') return ISO.test(value) ? formatDateTime(value, lng) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return parts(value, ctx);
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (field === 'completion') {
      const level = isOneOf(SERVICE_LEVELS, o.level) ? t(`service.level.${o.level}`) : String(o.level ?? '');
      const who = typeof o.technicianId === 'string' ? (names.get(o.technicianId) ?? o.technicianId) : '';
      const bits: string[] = [t('service.workOrders.completionSummary', { level, hours: String(o.runningHours ?? ''), name: who })];
      if (Array.isArray(o.partsUsed)) bits.push(parts(o.partsUsed, ctx));
      if (typeof o.notes === 'string' && o.notes) bits.push(`“${o.notes}”`);
      return bits.join(' · ');
    }
    if (field === 'deviceAck') {
      const result = isOneOf(['applied', 'rejected', 'ignored'] as const, o.result) ? t(`service.workOrders.audit.ack.${o.result}`) : String(o.result ?? '');
      return typeof o.reason === 'string' && o.reason ? `${result} (${o.reason})` : result;
    }
    if (typeof o.name === 'string') return o.name;
    return JSON.stringify(value);
  }
  return String(value);
}

/** Who changed what, when: newest first. */
export function AuditTrail({ entries, names }: { entries: readonly WorkOrderAuditEntry[]; names: ReadonlyMap<string, string> }) {
  const { t, i18n } = useTranslation();
  const ctx: Ctx = { lng: i18n.language, t, names };
  if (entries.length === 0) return <Text c="dimmed">{t('service.workOrders.audit.empty')}</Text>;
  const newestFirst = [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || Number(b.id) - Number(a.id));
  return (
    <Timeline bulletSize={14} lineWidth={2} data-testid="audit-trail">
      {newestFirst.map((e) => (
        <Timeline.Item
          key={e.id}
          data-action={e.action}
          title={
            <Group gap={6}>
              <Badge variant="light" size="sm" color={e.action === 'cancel' ? 'red' : e.action === 'complete' ? 'green' : e.action === 'device_ack' ? 'teal' : 'blue'}>
                {t(`service.workOrders.audit.action.${e.action}`)}
              </Badge>
              <Text size="sm" fw={500}>
                {e.actor?.name ?? (e.action === 'device_ack' ? t('service.common.machine') : t('service.workOrders.audit.system'))}
              </Text>
              <Text size="xs" c="dimmed">
                {formatDateTime(e.at, ctx.lng)}
              </Text>
            </Group>
          }
        >
          <Stack gap={0} mt={2}>
            {Object.entries(e.changes).map(([field, { before, after }]) => {
              const label = isField(field) ? t(`service.workOrders.audit.field.${field}`) : field;
              const text =
                before === null || before === undefined
                  ? t('service.workOrders.audit.set', { field: label, after: show(after, field, ctx) })
                  : t('service.workOrders.audit.change', { field: label, before: show(before, field, ctx), after: show(after, field, ctx) });
              return (
                <Text size="xs" c="dimmed" key={field}>
                  {text}
                </Text>
              );
            })}
          </Stack>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
