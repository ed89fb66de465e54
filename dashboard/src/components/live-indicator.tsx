import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLiveStatus } from '../lib/live.tsx';

const DOT = { open: 'var(--mantine-color-green-6)', connecting: 'var(--mantine-color-yellow-6)', closed: 'var(--mantine-color-red-6)' };

/** Whether the numbers on screen are live: an operator must know when they are not. */
export function LiveIndicator() {
  const { t } = useTranslation();
  const status = useLiveStatus();
  const text = status === 'open' ? t('app.live.open') : status === 'connecting' ? t('app.live.connecting') : t('app.live.closed');
  return (
    <Group gap={6} wrap="nowrap" role="status" aria-label={`${t('app.live.label')}: ${text}`} data-testid="live-status" data-status={status}>
      <span aria-hidden="true" style={{ width: 10, height: 10, borderRadius: '50%', background: DOT[status], display: 'inline-block' }} />
      <Text size="sm" visibleFrom="xs" c={status === 'open' ? undefined : 'red.8'}>
        {text}
      </Text>
    </Group>
  );
}
