import { Alert, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SERVICE_LEVELS, type WorkOrderDetail } from '@airfleet/contracts';
import { useNextServiceLevel, usePatchWorkOrder } from '../api/work-orders.ts';

const LIVE: ReadonlyArray<WorkOrderDetail['status']> = ['open', 'scheduled', 'in_progress'];

/**
 * A live maintenance order made for a lower level than the machine's next service now needs
 * (made for A, B has come due since): the same hint as the inbox, with the change one click away.
 */
export function WorkOrderLevelHint({ wo, canEdit }: { wo: WorkOrderDetail; canEdit: boolean }) {
  const { t } = useTranslation();
  const live = wo.level !== null && LIVE.includes(wo.status);
  const due = useNextServiceLevel(wo.deviceId, live);
  const patch = usePatchWorkOrder(wo.id);
  const [error, setError] = useState<string | null>(null);
  const dueLevel = due.data ?? null;
  if (!live || !wo.level || !dueLevel || SERVICE_LEVELS.indexOf(wo.level) >= SERVICE_LEVELS.indexOf(dueLevel)) return null;
  const names = { orderLevel: t(`service.level.${wo.level}`), dueLevel: t(`service.level.${dueLevel}`) };
  return (
    <Alert color="orange" role="status" data-testid="work-order-level-below">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Text size="sm">{t('workOrderLevel.below', names)}</Text>
        {canEdit && (
          <Button
            size="xs"
            color="orange"
            loading={patch.isPending}
            onClick={() => {
              setError(null);
              patch.mutate({ level: dueLevel }, { onError: (err) => setError(t('workOrderLevel.raiseFailed', { message: err.message })) });
            }}
          >
            {t('workOrderLevel.raise', names)}
          </Button>
        )}
      </Group>
      {error && (
        <Text size="sm" c="red" role="alert" mt="xs">
          {error}
        </Text>
      )}
    </Alert>
  );
}
