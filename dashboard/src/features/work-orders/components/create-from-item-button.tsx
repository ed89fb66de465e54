import { Button, Popover, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { InboxItem } from '@airfleet/contracts';
import { subjectTitle } from '../../../lib/service-subject.ts';
import { useCreateWorkOrder } from '../api/work-orders.ts';

/** Turns an inbox item into a work order (device, title, level and kit come from the item) and opens it. */
export function CreateFromItemButton({ item }: { item: InboxItem }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const create = useCreateWorkOrder();
  const [error, setError] = useState<string | null>(null);
  return (
    <Popover opened={error !== null} onChange={(open) => !open && setError(null)} withArrow position="bottom-end">
      <Popover.Target>
        <Button
          size="xs"
          variant="light"
          loading={create.isPending}
          aria-label={t('service.inbox.createWorkOrderFor', { item: subjectTitle(item.subject, t), machine: item.deviceId })}
          onClick={() => {
            setError(null);
            create.mutate(
              { itemKey: item.key },
              {
                onSuccess: (wo) => void navigate(`/work-orders/${encodeURIComponent(wo.id)}`),
                onError: (err) => setError(t('service.common.actionFailed', { message: err.message })),
              },
            );
          }}
        >
          {t('service.inbox.createWorkOrder')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Text size="sm" c="red.8" role="alert" maw={280}>
          {error}
        </Text>
      </Popover.Dropdown>
    </Popover>
  );
}
