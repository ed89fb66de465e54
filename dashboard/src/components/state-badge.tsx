import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MachineState } from '@airfleet/contracts';

export type BadgeState = MachineState | 'offline' | 'unknown';

const COLORS: Record<BadgeState, { color: string; variant: 'filled' | 'light' | 'outline' }> = {
  loaded: { color: 'green', variant: 'filled' },
  unloaded: { color: 'blue', variant: 'light' },
  standby: { color: 'gray', variant: 'light' },
  stopped: { color: 'gray', variant: 'light' },
  tripped: { color: 'red', variant: 'filled' },
  offline: { color: 'dark', variant: 'outline' },
  unknown: { color: 'gray', variant: 'outline' },
};

/** Colour and word together: the state is never conveyed by colour alone (WCAG 1.4.1). */
export function StateBadge({ state, size = 'md' }: { state: BadgeState; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  const { color, variant } = COLORS[state];
  return (
    <Badge color={color} variant={variant} size={size} radius="sm" data-state={state}>
      {t(`state.${state}`)}
    </Badge>
  );
}
