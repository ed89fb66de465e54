import type { TFunction } from 'i18next';
import type { InboxSubject, WorkOrder } from '@airfleet/contracts';
import { alarmTypeName } from './alarm-type-name.ts';
import { formatDate, formatNumber } from './format.ts';

/**
 * Inbox items and work orders in the reader's language, worded from what they are about (the
 * platform's `subject`), not from its English `title` and `details`. Shared by the service pages
 * (inbox, planning) and the work orders. The service strings must be loaded (service-strings.ts).
 */

// The fleet checks with a name in the service strings (`service.subject.check`).
const CHECKS = ['specific_power', 'adt_delta', 'unloaded_share', 'separator_dp_growth', 'inspection'] as const;
type CheckName = (typeof CHECKS)[number];
const isCheckName = (check: string): check is CheckName => (CHECKS as readonly string[]).includes(check);

export function subjectTitle(subject: InboxSubject, t: TFunction): string {
  switch (subject.kind) {
    case 'alarm':
      return alarmTypeName(subject.alarmType, t);
    case 'maintenance': {
      const title = t(`service.subject.maintenance.${subject.due ?? 'plain'}`, { level: t(`service.level.${subject.level}`) });
      const includes = subject.includes ?? [];
      if (includes.length === 0) return title;
      const levels = includes.map((l) => t(`service.subject.includedLevel.${l}`)).join(t('service.subject.includedSeparator'));
      return t('service.subject.maintenanceIncludes', { title, levels });
    }
    case 'condition':
      return t(`service.subject.condition.${subject.task}`);
    case 'request':
      return t(`service.subject.request.${subject.requestKind}`);
    case 'inspect':
      return t('service.subject.inspect', { check: isCheckName(subject.check) ? t(`service.subject.check.${subject.check}`) : subject.check });
  }
}

/**
 * The details line. `workOrder`: as a work order's description starts (the plan level's
 * contents, the customer's words), `inbox`: with the figures that make the item urgent.
 */
export function subjectDetails(subject: InboxSubject, t: TFunction, lng: string, context: 'inbox' | 'workOrder'): string {
  const n = (v: number | null, decimals = 0) => formatNumber(v, lng, decimals);
  switch (subject.kind) {
    case 'alarm':
      return t('service.subject.alarmDetails', { severity: t(`service.severity.${subject.alarmSeverity}`), type: subject.alarmType });
    case 'maintenance': {
      const contents = t(`service.subject.levelContents.${subject.level}`);
      if (context === 'workOrder' || subject.nextDueHours === null) return contents;
      const due = subject.nextDueByDate
        ? t('service.subject.maintenanceDueByDate', { hours: n(subject.nextDueHours), date: formatDate(subject.nextDueByDate, lng) })
        : t('service.subject.maintenanceDue', { hours: n(subject.nextDueHours) });
      const left = t('service.subject.maintenanceLeft', { inHours: n(subject.dueInHours), inDays: n(subject.dueInDays), rate: n(subject.hoursPerDay, 1) });
      return t('service.subject.maintenanceDetails', { contents, due, left });
    }
    case 'condition': {
      const decimals = subject.unit === 'bar' ? 2 : 0;
      if (subject.value === null || subject.replaceAt === null) return t(`service.subject.condition.${subject.task}`);
      return t('service.subject.conditionDetails', { value: n(subject.value, decimals), limit: n(subject.replaceAt, decimals), unit: subject.unit });
    }
    case 'request':
      return context === 'workOrder' ? subject.message : t('service.subject.requestDetails', { message: subject.message, status: t(`service.subject.requestStatus.${subject.requestStatus}`) });
    case 'inspect': {
      if (subject.value === null || subject.peerMedian === null) return '';
      const unit = subject.unit ?? '';
      return t('service.subject.inspectDetails', { value: n(subject.value, 2), median: n(subject.peerMedian, 2), unit, peers: subject.peers ?? '—', percentile: subject.percentile ?? '—' });
    }
  }
}

/** A work order's title: as typed, or worded from its subject when nobody typed one. */
export function workOrderTitle(wo: Pick<WorkOrder, 'title' | 'subject' | 'titleGenerated'>, t: TFunction): string {
  return wo.titleGenerated && wo.subject ? subjectTitle(wo.subject, t) : wo.title;
}

export function workOrderDescription(wo: Pick<WorkOrder, 'description' | 'subject' | 'descriptionGenerated'>, t: TFunction, lng: string): string {
  return wo.descriptionGenerated && wo.subject ? subjectDetails(wo.subject, t, lng, 'workOrder') : wo.description;
}
