import { Alert, Badge, Group, List, Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SavingKind, SavingsResponse } from '@airfleet/contracts';
import { formatNumber } from '../../../lib/format.ts';
import { formatMoney } from '../../../lib/money.ts';

const KIND_KEY: Record<SavingKind, 'pressure' | 'unloaded' | 'leaks'> = { pressure_band: 'pressure', unloaded_running: 'unloaded', leaks: 'leaks' };

/** Each opportunity with its yearly kWh and money, and the assumptions behind the numbers (docs/domain.md §4). */
export function SavingsCards({ savings }: { savings: SavingsResponse }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { currency } = savings.tariff;
  if (savings.opportunities.length === 0) {
    return (
      <Alert color="green" role="status">
        {t('portal.usage.savingsEmpty')}
      </Alert>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" data-testid="savings-cards">
      {savings.opportunities.map((o) => (
        <Paper key={`${o.kind}:${o.deviceId ?? 'site'}`} withBorder p="md" radius="md" data-testid="saving" data-kind={o.kind} style={{ breakInside: 'avoid' }}>
          <Group justify="space-between" align="flex-start" gap="xs" wrap="nowrap">
            <Text fw={700}>{o.title}</Text>
            <Badge variant="light" color="teal" style={{ flexShrink: 0 }}>
              {t(`portal.usage.savingsKind.${KIND_KEY[o.kind]}`)}
            </Badge>
          </Group>
          {o.deviceId && (
            <Text size="sm" c="dimmed">
              {o.deviceId}
            </Text>
          )}
          <Group gap="lg" mt="xs" align="baseline">
            <div>
              <Text fz={24} fw={700} lh={1.2} style={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatMoney(o.moneyPerYear, currency, lng)}
              </Text>
              <Text size="xs" c="dimmed">
                {t('portal.usage.savingsPerYear')}
              </Text>
            </div>
            <div>
              <Text fz={18} fw={600} lh={1.2} style={{ fontVariantNumeric: 'tabular-nums' }}>
                {t('portal.usage.savingsKwh', { kwh: formatNumber(o.kwhPerYear, lng, 0) })}
              </Text>
              <Text size="xs" c="dimmed">
                {formatNumber(o.co2KgPerYear, lng, 0)} kg CO₂
              </Text>
            </div>
          </Group>
          {o.assumptions.length > 0 && (
            <>
              <Text size="xs" fw={600} mt="sm">
                {t('portal.usage.assumptions')}
              </Text>
              <List size="xs" c="dimmed" spacing={2}>
                {o.assumptions.map((a) => (
                  <List.Item key={a}>{a}</List.Item>
                ))}
              </List>
            </>
          )}
        </Paper>
      ))}
    </SimpleGrid>
  );
}
