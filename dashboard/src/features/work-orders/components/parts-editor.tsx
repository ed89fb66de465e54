import { ActionIcon, Button, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { normalisePartNumber, type PartDraft } from './parts.ts';

interface PartsEditorProps {
  label: string;
  hint?: string;
  value: PartDraft[];
  onChange: (next: PartDraft[]) => void;
  /** Index of a line to flag as invalid. */
  invalidLine?: number | null;
}

export function PartsEditor({ label, hint, value, onChange, invalidLine }: PartsEditorProps) {
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<PartDraft>) => onChange(value.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <Stack gap={6} role="group" aria-label={label} data-testid="parts-editor">
      <div>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        {hint && (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        )}
      </div>
      {value.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('service.workOrders.noParts')}
        </Text>
      )}
      {value.map((d, i) => (
        <Group key={i} gap="xs" wrap="nowrap" align="flex-start" data-testid="part-line">
          <TextInput
            aria-label={`${t('service.common.partNumber')} ${i + 1}`}
            placeholder="0000 0000 00"
            value={d.partNumber}
            onChange={(e) => update(i, { partNumber: e.currentTarget.value })}
            error={invalidLine === i && !normalisePartNumber(d.partNumber) ? t('service.workOrders.validation.partNumber') : undefined}
            w={170}
            ff="monospace"
          />
          <NumberInput
            aria-label={`${t('service.common.quantity')} ${i + 1}`}
            value={d.quantity}
            min={1}
            max={10_000}
            allowDecimal={false}
            onChange={(v) => update(i, { quantity: v })}
            error={invalidLine === i && !(Number(d.quantity) >= 1) ? t('service.workOrders.validation.quantity') : undefined}
            w={90}
          />
          <ActionIcon
            variant="subtle"
            color="red"
            size="lg"
            aria-label={t('service.workOrders.actions.removePart', { part: d.partNumber || i + 1 })}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Button variant="subtle" size="xs" w="fit-content" onClick={() => onChange([...value, { partNumber: '', quantity: 1 }])}>
        + {t('service.workOrders.actions.addPart')}
      </Button>
    </Stack>
  );
}
