import { Alert, Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { KitItem, Part, PartHit } from '@airfleet/contracts';

export function formatPrice(amount: number, lng: string): string {
  return new Intl.NumberFormat(lng, { style: 'currency', currency: 'EUR' }).format(amount);
}

export function PartNumber({ printed, size = 'lg' }: { printed: string; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <Text component="span" ff="monospace" fw={700} size={size} style={{ whiteSpace: 'nowrap' }} data-testid="part-number">
      {printed}
    </Text>
  );
}

function Facts({ part }: { part: Part }) {
  const { t, i18n } = useTranslation();
  return (
    <Group gap="lg" wrap="wrap">
      <Text size="sm">
        <Text span c="dimmed">
          {t('parts.part.price')}:{' '}
        </Text>
        {part.listPrice ? formatPrice(part.listPrice.amount, i18n.language) : t('parts.part.priceOnRequest')}
      </Text>
      {part.unit === 'litre' || part.unit === 'kg' ? (
        <Text size="sm">
          <Text span c="dimmed">
            {t('parts.part.pack')}:{' '}
          </Text>
          {part.packSize} {t(`parts.units.${part.unit}`)}
        </Text>
      ) : null}
      <Text size="sm">
        <Text span c="dimmed">
          {t('parts.part.weight')}:{' '}
        </Text>
        {new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 }).format(part.weightKg)} kg
      </Text>
      {part.fits.length > 0 && (
        <Group gap={4}>
          <Text size="sm" c="dimmed">
            {t('parts.part.fits')}:
          </Text>
          {part.fits.map((m) => (
            <Badge key={m} variant="outline" size="sm">
              {m}
            </Badge>
          ))}
        </Group>
      )}
    </Group>
  );
}

/** "1 pc", "1 set", or packs of oil and grease as "2 × 20 L". */
function quantityText(item: KitItem, t: TFunction): string {
  if (item.unit === 'litre' || item.unit === 'kg') return `${item.quantity} × ${item.packSize} ${t(`parts.units.${item.unit}`)}`;
  return `${item.quantity} ${t(`parts.units.${item.unit}`)}`;
}

function KitContents({ part }: { part: Part }) {
  const { t } = useTranslation();
  if (!part.kit) return null;
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {t('parts.part.kitContents')}
      </Text>
      <Table withTableBorder striped fz="sm" data-testid="kit-contents">
        <Table.Tbody>
          {part.kit.contents.map((item) => (
            <Table.Tr key={item.number}>
              <Table.Td w={140}>
                <PartNumber printed={item.printed} size="sm" />
              </Table.Td>
              <Table.Td>{item.name}</Table.Td>
              <Table.Td w={110} ta="right" style={{ whiteSpace: 'nowrap' }}>
                {quantityText(item, t)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

/** One lookup result: the current part, how it was found, and for an old number the way to it. */
export function PartHitCard({ hit }: { hit: PartHit }) {
  const { t } = useTranslation();
  const { part } = hit;
  const asked = hit.chain[0];
  return (
    <Paper withBorder p="md" radius="md" data-testid="part-hit" data-number={part.number}>
      <Stack gap="xs">
        {hit.matchedBy === 'superseded' && asked && (
          <Alert color="orange" variant="light" p="xs" data-testid="supersession">
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                {t('parts.part.replacedBy', { old: asked.printed, current: part.printed })}
              </Text>
              <Text size="sm" ff="monospace">
                {t('parts.part.chain')}: {hit.chain.map((c) => c.printed).join(' → ')}
              </Text>
            </Stack>
          </Alert>
        )}
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <Stack gap={2} style={{ flex: '1 1 320px', minWidth: 0 }}>
            <PartNumber printed={part.printed} />
            <Text fw={600} data-testid="part-name">
              {part.name}
            </Text>
          </Stack>
          <Group gap={6}>
            <Badge variant="light">{t(`parts.categories.${part.category}`)}</Badge>
            <Badge variant="outline" color="gray">
              {t(`parts.part.matched.${hit.matchedBy}`)}
            </Badge>
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {part.description}
        </Text>
        <Facts part={part} />
        {part.replaces.length > 0 && hit.matchedBy !== 'superseded' && (
          <Text size="xs" c="dimmed">
            {t('parts.part.replaces')}: {part.replaces.map((r) => r.printed).join(', ')}
          </Text>
        )}
        <KitContents part={part} />
      </Stack>
    </Paper>
  );
}
