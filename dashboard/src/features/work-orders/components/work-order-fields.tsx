import { Button, Group, NativeSelect, TextInput, type MantineColor } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SERVICE_LEVELS, type Technician } from '@airfleet/contracts';

/** The fields that several work-order forms share, worded and validated alike. */
export type Level = (typeof SERVICE_LEVELS)[number];

/** Required title; the error shows once the form was submitted (`touched`). */
export function TitleInput({ value, onChange, touched }: { value: string; onChange: (value: string) => void; touched: boolean }) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={t('service.workOrders.fields.title')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={touched && !value.trim() ? t('service.workOrders.validation.title') : undefined}
      withAsterisk
      maxLength={200}
    />
  );
}

/** A service level, or none (a repair). */
export function LevelSelect({ value, onChange, w }: { value: Level | ''; onChange: (value: Level | '') => void; w?: number }) {
  const { t } = useTranslation();
  return (
    <NativeSelect
      label={t('service.workOrders.fields.level')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value as Level | '')}
      data={[{ value: '', label: t('service.workOrders.fields.noLevel') }, ...SERVICE_LEVELS.map((l) => ({ value: l, label: t(`service.level.${l}`) }))]}
      w={w}
    />
  );
}

/** Required technician, from the service team. */
export function TechnicianSelect({ technicians, value, onChange, touched }: { technicians: readonly Technician[]; value: string; onChange: (id: string) => void; touched: boolean }) {
  const { t } = useTranslation();
  return (
    <NativeSelect
      label={t('service.workOrders.fields.technician')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data={[{ value: '', label: t('service.workOrders.validation.technician'), disabled: true }, ...technicians.map((tech) => ({ value: tech.id, label: tech.name }))]}
      error={touched && !value ? t('service.workOrders.validation.technician') : undefined}
      withAsterisk
      w={230}
    />
  );
}

/** Submit, and a way back when the form was opened on top of something. */
export function FormButtons({ submit, color, loading, onCancel, cancelLabel }: { submit: ReactNode; color?: MantineColor; loading: boolean; onCancel?: () => void; cancelLabel?: string }) {
  const { t } = useTranslation();
  return (
    <Group gap="sm">
      <Button type="submit" color={color} loading={loading}>
        {submit}
      </Button>
      {onCancel && (
        <Button variant="default" onClick={onCancel}>
          {cancelLabel ?? t('service.common.cancel')}
        </Button>
      )}
    </Group>
  );
}
