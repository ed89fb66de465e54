import { Alert, Button, Group, Modal, NativeSelect, Stack, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSites } from '../../../lib/catalogue.ts';
import { useCreateWorkOrder, useDeviceChoices } from '../api/work-orders.ts';
import { LevelSelect, TitleInput, type Level } from './work-order-fields.tsx';

/** A work order by hand (a repair, a visit the plan does not know): machine, title, level; the kit comes from the level. */
export function NewWorkOrderModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const devices = useDeviceChoices(opened);
  const sites = useSites();
  const create = useCreateWorkOrder();
  const [deviceId, setDeviceId] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [level, setLevel] = useState<Level | ''>('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!deviceId || !title.trim()) return;
    setError(null);
    create.mutate(
      { deviceId, title: title.trim(), ...(description.trim() ? { description: description.trim() } : {}), ...(level ? { level } : {}) },
      {
        onSuccess: (wo) => void navigate(`/work-orders/${encodeURIComponent(wo.id)}`),
        onError: (err) => setError(t('service.common.actionFailed', { message: err.message })),
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('service.workOrders.newOrder')} closeButtonProps={{ 'aria-label': t('service.common.close') }} size="lg">
      <Stack component="form" gap="sm" onSubmit={submit}>
        <NativeSelect
          label={t('service.workOrders.fields.machine')}
          value={deviceId}
          onChange={(e) => setDeviceId(e.currentTarget.value)}
          data={[
            { value: '', label: devices.isPending ? t('app.loading') : t('service.workOrders.validation.machine'), disabled: true },
            ...(devices.data ?? []).map((d) => ({ value: d.id, label: `${d.id} · ${sites.data?.get(d.siteId)?.name ?? d.siteId}` })),
          ]}
          error={touched && !deviceId ? t('service.workOrders.validation.machine') : devices.isError ? t('service.common.loadFailed') : undefined}
          withAsterisk
        />
        <TitleInput value={title} onChange={setTitle} touched={touched} />
        <LevelSelect value={level} onChange={setLevel} />
        <Textarea label={t('service.workOrders.fields.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={3} maxLength={4000} />
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('service.common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('service.workOrders.actions.create')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
