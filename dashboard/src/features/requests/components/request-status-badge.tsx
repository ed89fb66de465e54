import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RequestStatus } from '@airfleet/contracts';

const COLORS: Record<RequestStatus, string> = {
  open: 'blue',
  in_review: 'yellow',
  quoted: 'teal',
  scheduled: 'teal',
  closed: 'gray',
  rejected: 'red',
};

/** Word and colour together (never colour alone). */
export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[status]} variant="light" radius="sm" data-status={status}>
      {t(`portal.requests.status.${status}`)}
    </Badge>
  );
}
