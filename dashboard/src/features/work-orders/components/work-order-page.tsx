import { Alert, Anchor, Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Stepper, Text, Title } from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { User, WorkOrderDetail, WorkOrderStatus } from '@airfleet/contracts';
import { usePageTitle } from '../../../components/page-hooks.ts';
import { canDoService } from '../../../lib/auth.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { workOrderDescription, workOrderTitle } from '../../../lib/service-subject.ts';
import { useTechnicianList, useWorkOrder, useWorkOrdersLiveSync, useWorkOrderTransition } from '../api/work-orders.ts';
import { AuditTrail } from './audit-trail.tsx';
import { formatPartNumber } from './parts.ts';
import { ServiceResetStatus } from './service-reset-status.tsx';
import { CancelForm, CompleteForm, EditForm, ScheduleForm } from './work-order-forms.tsx';
import { WorkOrderLevelHint } from './work-order-level-hint.tsx';
import { STATUS_COLOR } from './work-order-status.ts';

const STEPS = ['open', 'scheduled', 'in_progress', 'done'] as const;

/** The stepper's position: the current status; all complete when done; where it stopped when cancelled. */
function stepOf(wo: WorkOrderDetail): number {
  if (wo.status === 'done') return STEPS.length;
  if (wo.status === 'cancelled') return wo.startedAt ? 2 : wo.scheduledFor ? 1 : 0;
  return STEPS.indexOf(wo.status);
}

export function WorkOrderPage({ id, user }: { id: string; user: User }) {
  const { t } = useTranslation();
  const workOrder = useWorkOrder(id);
  useWorkOrdersLiveSync(workOrder.data?.deviceId);

  usePageTitle(t('service.workOrders.number', { id }));

  if (workOrder.isPending) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  const back = (
    <Anchor component={Link} to="/work-orders" size="sm">
      ← {t('service.workOrders.back')}
    </Anchor>
  );
  if (workOrder.isError) {
    return (
      <Stack>
        {back}
        <Alert color="red" role="alert">
          {t('service.common.loadFailed')}
        </Alert>
      </Stack>
    );
  }
  if (!workOrder.data) {
    return (
      <Stack>
        {back}
        <Alert color="gray">{t('service.workOrders.notFound', { id })}</Alert>
      </Stack>
    );
  }
  return <WorkOrderView wo={workOrder.data} user={user} back={back} />;
}

function WorkOrderView({ wo, user, back }: { wo: WorkOrderDetail; user: User; back: ReactNode }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  // A panel belongs to the status it was opened in: a new status shows that status's form, not a stale edit or cancel panel.
  const [opened, setOpened] = useState<{ status: WorkOrderStatus; panel: 'none' | 'edit' | 'cancel' | 'reschedule' }>({ status: wo.status, panel: 'none' });
  const panel = opened.status === wo.status ? opened.panel : 'none';
  const setPanel = (p: typeof panel) => setOpened({ status: wo.status, panel: p });
  const technicians = useTechnicianList();
  const closed = wo.status === 'done' || wo.status === 'cancelled';
  // The platform lets only the scheduled technician (or an admin) start and complete: say so instead of failing.
  const mayWork = user.role === 'admin' || wo.technician?.id === user.id;
  const names = useMemo(() => new Map((technicians.data ?? []).map((tech) => [tech.id, tech.name])), [technicians.data]);

  return (
    <Stack gap="md" data-testid="work-order" data-status={wo.status}>
      {back}
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Group gap="sm" align="center">
            <Title order={1} size="h2">
              {t('service.workOrders.number', { id: wo.id })}
            </Title>
            <Badge size="lg" color={STATUS_COLOR[wo.status]} variant={closed ? 'light' : 'filled'} data-testid="work-order-status">
              {t(`service.workOrders.status.${wo.status}`)}
            </Badge>
          </Group>
          <Text fw={500} data-testid="work-order-title">
            {workOrderTitle(wo, t)}
          </Text>
          <Text c="dimmed" size="sm">
            <Anchor component={Link} to={`/machines/${encodeURIComponent(wo.deviceId)}`} size="sm">
              {wo.deviceId}
            </Anchor>{' '}
            · {wo.siteName} · {wo.customerName}
            {wo.level ? ` · ${t(`service.level.${wo.level}`)}` : ''}
          </Text>
        </div>
        {!closed && panel === 'none' && (
          <Group gap="xs">
            {(wo.status === 'open' || wo.status === 'scheduled') && (
              <Button variant="default" onClick={() => setPanel('edit')}>
                {t('service.common.edit')}
              </Button>
            )}
            <Button variant="light" color="red" onClick={() => setPanel('cancel')}>
              {t('service.workOrders.actions.cancel')}
            </Button>
          </Group>
        )}
      </Group>

      <Stepper active={stepOf(wo)} size="sm" color={wo.status === 'cancelled' ? 'gray' : 'blue'} aria-label={t('service.workOrders.stepper.label')} allowNextStepsSelect={false}>
        {STEPS.map((s) => (
          <Stepper.Step key={s} label={t(`service.workOrders.stepper.${s}`)} description={stepDescription(wo, s, lng)} />
        ))}
      </Stepper>
      <WorkOrderLevelHint wo={wo} canEdit={canDoService(user.role)} />
      {wo.status === 'cancelled' && (
        <Alert color="red" role="status">
          {t('service.workOrders.cancelledOn', { time: formatDateTime(wo.cancelledAt, lng), reason: wo.cancelReason ?? '' })}
        </Alert>
      )}

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="wo-next-title">
        <Title order={2} size="h4" id="wo-next-title" mb={4}>
          {panel === 'edit'
            ? t('service.common.edit')
            : panel === 'cancel'
              ? t('service.workOrders.actions.cancel')
              : wo.status === 'done'
                ? t('service.workOrders.completion')
                : wo.status === 'cancelled'
                  ? t('service.workOrders.status.cancelled')
                  : t('service.workOrders.actions.label')}
        </Title>
        {panel === 'none' && wo.status !== 'done' && (
          <Text size="sm" c="dimmed" mb="sm">
            {t(`service.workOrders.hints.${wo.status}`)}
          </Text>
        )}
        {technicians.isPending && !closed ? (
          <Loader size="sm" aria-label={t('app.loading')} />
        ) : panel === 'edit' ? (
          <EditForm wo={wo} onDone={() => setPanel('none')} />
        ) : panel === 'cancel' ? (
          <CancelForm wo={wo} onDone={() => setPanel('none')} />
        ) : wo.status === 'open' || panel === 'reschedule' ? (
          <ScheduleForm wo={wo} user={user} technicians={technicians.data ?? []} onDone={panel === 'reschedule' ? () => setPanel('none') : undefined} />
        ) : wo.status === 'scheduled' ? (
          <StartPanel wo={wo} mayWork={mayWork} onReschedule={() => setPanel('reschedule')} />
        ) : wo.status === 'in_progress' ? (
          mayWork ? (
            <CompleteForm wo={wo} user={user} technicians={technicians.data ?? []} />
          ) : (
            <OnlyTechnician wo={wo} />
          )
        ) : wo.status === 'done' ? (
          <CompletionSummary wo={wo} />
        ) : null}
      </Paper>

      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="wo-details-title">
          <Title order={2} size="h4" id="wo-details-title" mb="sm">
            {t('service.workOrders.details')}
          </Title>
          <Details wo={wo} />
        </Paper>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="wo-audit-title">
          <Title order={2} size="h4" id="wo-audit-title" mb="sm">
            {t('service.workOrders.audit.title')}
          </Title>
          <AuditTrail entries={wo.audit} names={names} />
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}

function stepDescription(wo: WorkOrderDetail, step: WorkOrderStatus, lng: string): string | undefined {
  const at = step === 'open' ? wo.createdAt : step === 'scheduled' ? wo.scheduledFor : step === 'in_progress' ? wo.startedAt : step === 'done' ? wo.completedAt : null;
  if (!at) return undefined;
  const who = step === 'scheduled' && wo.technician ? ` · ${wo.technician.name}` : '';
  return `${formatDateTime(at, lng)}${who}`;
}

function OnlyTechnician({ wo }: { wo: WorkOrderDetail }) {
  const { t } = useTranslation();
  return (
    <Text size="sm" c="dimmed" role="note">
      {t('service.workOrders.onlyTechnician', { name: wo.technician?.name ?? t('service.common.unassigned') })}
    </Text>
  );
}

function StartPanel({ wo, mayWork, onReschedule }: { wo: WorkOrderDetail; mayWork: boolean; onReschedule: () => void }) {
  const { t, i18n } = useTranslation();
  const transition = useTransitionWithError(wo.id);
  return (
    <Stack gap="sm">
      <Text size="sm">
        {t('service.workOrders.scheduledFor')}: <b>{formatDateTime(wo.scheduledFor, i18n.language)}</b> · {wo.technician?.name ?? t('service.common.unassigned')}
      </Text>
      {!mayWork && <OnlyTechnician wo={wo} />}
      {transition.alert}
      <Group gap="sm">
        <Button loading={transition.mutation.isPending} disabled={!mayWork} onClick={() => transition.run({ action: 'start', body: {} })}>
          {t('service.workOrders.actions.start')}
        </Button>
        <Button variant="default" onClick={onReschedule}>
          {t('service.workOrders.actions.reschedule')}
        </Button>
      </Group>
    </Stack>
  );
}

function CompletionSummary({ wo }: { wo: WorkOrderDetail }) {
  const { t } = useTranslation();
  const c = wo.completion;
  return (
    <Stack gap="sm">
      {c && (
        <>
          <Text size="sm" fw={500}>
            {t('service.workOrders.completionSummary', { level: t(`service.level.${c.level}`), hours: c.runningHours, name: c.technician.name })}
          </Text>
          <PartsList parts={c.partsUsed} label={t('service.workOrders.fields.partsUsed')} />
          {c.notes && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {c.notes}
            </Text>
          )}
        </>
      )}
      <ServiceResetStatus reset={wo.serviceReset} />
    </Stack>
  );
}

function PartsList({ parts, label }: { parts: WorkOrderDetail['partsPlanned']; label: string }) {
  const { t } = useTranslation();
  return (
    <div>
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {parts.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('service.workOrders.noParts')}
        </Text>
      ) : (
        <Text size="sm" ff="monospace" component="ul" m={0} pl="md">
          {parts.map((p) => (
            <li key={p.partNumber}>
              {formatPartNumber(p.partNumber)} × {p.quantity}
            </li>
          ))}
        </Text>
      )}
    </div>
  );
}

function Details({ wo }: { wo: WorkOrderDetail }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const description = workOrderDescription(wo, t, lng);
  return (
    <Stack gap="sm">
      <div>
        <Text size="sm" fw={500}>
          {t('service.workOrders.description')}
        </Text>
        <Text size="sm" c={description ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap' }}>
          {description || t('service.workOrders.noDescription')}
        </Text>
      </div>
      <PartsList parts={wo.partsPlanned} label={t('service.workOrders.partsPlanned')} />
      <Text size="xs" c="dimmed">
        {wo.createdBy ? t('service.workOrders.createdBy', { name: wo.createdBy.name, time: formatDateTime(wo.createdAt, lng) }) : t('service.workOrders.createdAt', { time: formatDateTime(wo.createdAt, lng) })}
      </Text>
      {wo.itemKey && (
        <Text size="xs" c="dimmed">
          {t('service.workOrders.fromItem', { key: wo.itemKey })}
        </Text>
      )}
      {wo.status !== 'done' && wo.serviceReset && <ServiceResetStatus reset={wo.serviceReset} />}
    </Stack>
  );
}

function useTransitionWithError(id: string) {
  const { t } = useTranslation();
  const mutation = useWorkOrderTransition(id);
  const [error, setError] = useState<string | null>(null);
  const alert = error && (
    <Alert color="red" role="alert" withCloseButton closeButtonLabel={t('app.close')} onClose={() => setError(null)}>
      {error}
    </Alert>
  );
  const run = (body: Parameters<typeof mutation.mutate>[0]) => {
    setError(null);
    mutation.mutate(body, { onError: (err) => setError(t('service.common.actionFailed', { message: err.message })) });
  };
  return { mutation, alert, run };
}
