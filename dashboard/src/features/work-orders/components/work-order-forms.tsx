import { Alert, Group, NativeSelect, NumberInput, Stack, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SERVICE_LEVELS, type Technician, type User, type WorkOrderDetail } from '@airfleet/contracts';
import { formatNumber } from '../../../lib/format.ts';
import { workOrderDescription, workOrderTitle } from '../../../lib/service-subject.ts';
import { useDeviceForWorkOrder, usePatchWorkOrder, useWorkOrderTransition } from '../api/work-orders.ts';
import { PartsEditor } from './parts-editor.tsx';
import { FormButtons, LevelSelect, TechnicianSelect, TitleInput, type Level } from './work-order-fields.tsx';
import { parseDrafts, toDrafts, type PartDraft } from './parts.ts';

/** `YYYY-MM-DDTHH:mm` in the browser's zone, as a datetime-local input wants it. */
function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Tomorrow 08:00: the usual start of a service visit. */
function defaultVisit(): number {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(8, 0, 0, 0);
  return d.getTime();
}

function defaultTechnician(wo: WorkOrderDetail, user: User, technicians: readonly Technician[]): string {
  if (wo.technician) return wo.technician.id;
  return technicians.some((tech) => tech.id === user.id) ? user.id : '';
}

interface FormProps {
  wo: WorkOrderDetail;
  user: User;
  technicians: readonly Technician[];
  onDone?: () => void;
}

function useFormError() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const onError = (err: Error) => setError(t('service.common.actionFailed', { message: err.message }));
  const alert = error && (
    <Alert color="red" role="alert" withCloseButton closeButtonLabel={t('app.close')} onClose={() => setError(null)}>
      {error}
    </Alert>
  );
  return { alert, onError, clear: () => setError(null) };
}

/** open or scheduled → scheduled: a date and a technician. */
export function ScheduleForm({ wo, user, technicians, onDone }: FormProps) {
  const { t } = useTranslation();
  const transition = useWorkOrderTransition(wo.id);
  const [when, setWhen] = useState(() => toLocalInput(wo.scheduledFor ? Date.parse(wo.scheduledFor) : defaultVisit()));
  const [technicianId, setTechnicianId] = useState(() => defaultTechnician(wo, user, technicians));
  const [touched, setTouched] = useState(false);
  const { alert, onError, clear } = useFormError();
  const at = when ? new Date(when).getTime() : Number.NaN;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!Number.isFinite(at) || !technicianId) return;
    clear();
    transition.mutate({ action: 'schedule', body: { scheduledFor: new Date(at).toISOString(), technicianId } }, { onSuccess: () => onDone?.(), onError });
  };

  return (
    <Stack component="form" gap="sm" onSubmit={submit} aria-label={t('service.workOrders.actions.schedule')}>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput
          type="datetime-local"
          label={t('service.workOrders.fields.date')}
          value={when}
          onChange={(e) => setWhen(e.currentTarget.value)}
          error={touched && !Number.isFinite(at) ? t('service.workOrders.validation.date') : undefined}
          withAsterisk
          w={230}
        />
        <TechnicianSelect technicians={technicians} value={technicianId} onChange={setTechnicianId} touched={touched} />
      </Group>
      {alert}
      <FormButtons
        submit={wo.status === 'scheduled' ? t('service.workOrders.actions.reschedule') : t('service.workOrders.actions.schedule')}
        loading={transition.isPending}
        onCancel={wo.status === 'scheduled' ? onDone : undefined}
      />
    </Stack>
  );
}

/** in progress → done: what was done, pre-filled from the plan and the machine's own counters. */
export function CompleteForm({ wo, user, technicians }: FormProps) {
  const { t, i18n } = useTranslation();
  const transition = useWorkOrderTransition(wo.id);
  const device = useDeviceForWorkOrder(wo.deviceId);
  const latestHours = device.data?.latest?.metrics.runningHours ?? null;
  // null until the person types: the machine's own reading stands in (it is what the controller shows).
  const [hours, setHours] = useState<number | string | null>(null);
  const [level, setLevel] = useState<Level>(wo.level ?? 'A');
  const [parts, setParts] = useState<PartDraft[]>(() => toDrafts(wo.partsPlanned));
  const [notes, setNotes] = useState('');
  const [technicianId, setTechnicianId] = useState(() => defaultTechnician(wo, user, technicians));
  const [touched, setTouched] = useState(false);
  const [badLine, setBadLine] = useState<number | null>(null);
  const { alert, onError, clear } = useFormError();
  const hoursValue = hours ?? (latestHours !== null ? Math.round(latestHours * 10) / 10 : '');
  const hoursNumber = typeof hoursValue === 'number' ? hoursValue : Number.NaN;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    const parsed = parseDrafts(parts);
    setBadLine('badLine' in parsed ? parsed.badLine : null);
    if (!(hoursNumber >= 0) || !technicianId || 'badLine' in parsed) return;
    clear();
    transition.mutate(
      { action: 'complete', body: { runningHours: hoursNumber, level, partsUsed: parsed.parts, notes: notes.trim(), technicianId } },
      { onError },
    );
  };

  return (
    <Stack component="form" gap="sm" onSubmit={submit} aria-label={t('service.workOrders.actions.complete')}>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <NumberInput
          label={t('service.workOrders.fields.runningHours')}
          description={latestHours !== null ? t('service.workOrders.fields.runningHoursHint', { value: formatNumber(latestHours, i18n.language, 1) }) : undefined}
          value={hoursValue}
          onChange={setHours}
          min={0}
          decimalScale={1}
          error={touched && !(hoursNumber >= 0) ? t('service.workOrders.validation.runningHours') : undefined}
          withAsterisk
          w={260}
        />
        <NativeSelect
          label={t('service.workOrders.fields.levelPerformed')}
          value={level}
          onChange={(e) => setLevel(e.currentTarget.value as Level)}
          data={SERVICE_LEVELS.map((l) => ({ value: l, label: t(`service.level.${l}`) }))}
          w={200}
        />
        <TechnicianSelect technicians={technicians} value={technicianId} onChange={setTechnicianId} touched={touched} />
      </Group>
      <PartsEditor label={t('service.workOrders.fields.partsUsed')} hint={t('service.workOrders.fields.partsUsedHint')} value={parts} onChange={setParts} invalidLine={badLine} />
      <Textarea label={t('service.workOrders.fields.notes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} autosize minRows={2} maxRows={8} maxLength={4000} />
      {alert}
      <FormButtons submit={t('service.workOrders.actions.complete')} color="green" loading={transition.isPending} />
    </Stack>
  );
}

/** Any open state → cancelled, with the reason (it goes into the audit trail). */
export function CancelForm({ wo, onDone }: Pick<FormProps, 'wo' | 'onDone'>) {
  const { t } = useTranslation();
  const transition = useWorkOrderTransition(wo.id);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const { alert, onError, clear } = useFormError();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!reason.trim()) return;
    clear();
    transition.mutate({ action: 'cancel', body: { reason: reason.trim() } }, { onSuccess: () => onDone?.(), onError });
  };
  return (
    <Stack component="form" gap="sm" onSubmit={submit} aria-label={t('service.workOrders.actions.cancel')}>
      <Textarea
        label={t('service.workOrders.fields.reason')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={touched && !reason.trim() ? t('service.workOrders.validation.reason') : undefined}
        withAsterisk
        autosize
        minRows={2}
        maxLength={1000}
        data-autofocus
      />
      {alert}
      <FormButtons submit={t('service.workOrders.actions.confirmCancel')} color="red" loading={transition.isPending} onCancel={onDone} cancelLabel={t('service.workOrders.actions.keep')} />
    </Stack>
  );
}

/** Title, description, level and planned parts, while the work has not started. */
export function EditForm({ wo, onDone }: Pick<FormProps, 'wo' | 'onDone'>) {
  const { t, i18n } = useTranslation();
  const patch = usePatchWorkOrder(wo.id);
  // Shown as the page shows them; sent only when changed, so a generated title stays in the reader's language.
  const [shownTitle] = useState(() => workOrderTitle(wo, t));
  const [shownDescription] = useState(() => workOrderDescription(wo, t, i18n.language));
  const [title, setTitle] = useState(shownTitle);
  const [description, setDescription] = useState(shownDescription);
  const [level, setLevel] = useState<Level | ''>(wo.level ?? '');
  const [parts, setParts] = useState<PartDraft[]>(() => toDrafts(wo.partsPlanned));
  const [badLine, setBadLine] = useState<number | null>(null);
  const [touched, setTouched] = useState(false);
  const { alert, onError, clear } = useFormError();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    const parsed = parseDrafts(parts);
    setBadLine('badLine' in parsed ? parsed.badLine : null);
    if (!title.trim() || 'badLine' in parsed) return;
    clear();
    patch.mutate(
      {
        ...(title.trim() !== shownTitle.trim() ? { title: title.trim() } : {}),
        ...(description.trim() !== shownDescription.trim() ? { description: description.trim() } : {}),
        level: level === '' ? null : level,
        partsPlanned: parsed.parts,
      },
      { onSuccess: () => onDone?.(), onError },
    );
  };
  return (
    <Stack component="form" gap="sm" onSubmit={submit} aria-label={t('service.common.edit')}>
      <TitleInput value={title} onChange={setTitle} touched={touched} />
      <Textarea label={t('service.workOrders.fields.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} maxLength={4000} />
      <LevelSelect value={level} onChange={setLevel} w={260} />
      <PartsEditor label={t('service.workOrders.partsPlanned')} value={parts} onChange={setParts} invalidLine={badLine} />
      {alert}
      <FormButtons submit={t('service.workOrders.actions.saveChanges')} loading={patch.isPending} onCancel={onDone} />
    </Stack>
  );
}
