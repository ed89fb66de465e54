import { ActionIcon, Alert, Button, Group, Loader, NativeSelect, NumberInput, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { SERVICE_LEVELS, type CreateRequestBody } from '@airfleet/contracts';
import { LabelledSegments } from '../../../components/labelled-segments.tsx';
import { usePageTitle } from '../../../components/page-hooks.ts';
import { modelDisplayName } from '../../../lib/model-name.ts';
import { useCreateRequest, useModelKits, usePartLookups, useRequestMachines } from '../api/requests.ts';

type Level = (typeof SERVICE_LEVELS)[number];
type Kind = CreateRequestBody['kind'];

interface PartLine {
  key: number;
  typed: string;
  /** The number as last left (blur): the one looked up. */
  checked: string;
  quantity: number;
}

let lineSeq = 0;

/** `?parts=1613610500:2,2901:1` (number:quantity) from "parts for my machines" or a lookup. */
function linesFrom(param: string | null): PartLine[] {
  if (!param) return [];
  return param
    .split(',')
    .map((entry) => entry.split(':'))
    .filter(([n]) => n && n.trim() !== '')
    .slice(0, 100)
    .map(([n, q]) => ({ key: (lineSeq += 1), typed: n!.trim(), checked: n!.trim(), quantity: Math.max(1, Math.min(10_000, Number(q) || 1)) }));
}

/**
 * New request: service, or a parts quote for one of my machines, with a service kit (model +
 * plan level) and/or part numbers typed any way. Opened from "parts for my machines" with
 * the kit already attached (`?device=…&kind=parts_quote&kit=A`).
 */
export function RequestFormPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const machines = useRequestMachines(lng);
  const create = useCreateRequest();

  const [kind, setKind] = useState<Kind>(params.get('kind') === 'service' ? 'service' : params.get('kind') === 'parts_quote' || params.get('kit') ? 'parts_quote' : 'service');
  const [deviceId, setDeviceId] = useState(params.get('device') ?? '');
  const kitParam = params.get('kit');
  const [kitLevel, setKitLevel] = useState<Level | ''>((SERVICE_LEVELS as readonly string[]).includes(kitParam ?? '') ? (kitParam as Level) : '');
  const [lines, setLines] = useState<PartLine[]>(() => linesFrom(params.get('parts')));
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const machine = machines.data?.machines.find((m) => m.deviceId === deviceId) ?? null;
  const kits = useModelKits(machine?.modelId ?? null, lng);
  const kitOptions = useMemo(
    () =>
      (kits.data?.kits ?? [])
        .filter((k) => k.kits.length > 0)
        .map((k) => ({ value: k.level, label: t('portal.requests.form.kitOption', { level: t(`portal.common.levels.${k.level}`), number: k.kits[0]!.printed, count: k.kits[0]!.kit?.contents.length ?? 0 }) })),
    [kits.data, t],
  );

  const selectedKit = kitLevel ? (kits.data?.kits.find((k) => k.level === kitLevel)?.kits[0] ?? null) : null;

  usePageTitle(t('portal.requests.form.title'));

  const lookups = usePartLookups(
    lines.map((l) => l.checked),
    lng,
  );
  /** undefined: not checked (yet); null: no such part. */
  const foundOf = (i: number) => {
    const q = lookups[i];
    if (!q || !lines[i]?.checked || q.isPending || lines[i]!.checked !== lines[i]!.typed.trim()) return undefined;
    const hit = q.data ?? null;
    return hit && { number: hit.part.number, printed: hit.part.printed, name: hit.part.name };
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (!deviceId) return setProblem(t('portal.requests.form.needMachine'));
    const parts = lines
      .map((l, i) => ({ l, found: foundOf(i) }))
      .filter(({ l }) => l.typed.trim() !== '')
      .map(({ l, found }) => ({ partNumber: found?.number ?? l.typed.trim(), quantity: l.quantity }));
    if (lines.some((_, i) => foundOf(i) === null)) return setProblem(t('portal.requests.form.notFound'));
    const kit = kitLevel && machine ? { modelId: machine.modelId, level: kitLevel } : undefined;
    if (kind === 'parts_quote' && !kit && parts.length === 0) return setProblem(t('portal.requests.form.needContent'));
    const text = message.trim() || (kind === 'parts_quote' ? t('portal.requests.form.defaultQuote') : t('portal.requests.form.defaultService'));
    const body: CreateRequestBody = {
      deviceId,
      kind,
      message: text,
      ...(kit || parts.length > 0 ? { attachment: { ...(kit ? { kit } : {}), ...(parts.length > 0 ? { parts } : {}) } } : {}),
    };
    create.mutate(body, { onSuccess: (r) => void navigate(`/requests?sent=${encodeURIComponent(r.id)}`) });
  };

  if (machines.isPending) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  if (machines.isError) return <Alert color="red">{t('portal.common.loadFailed')}</Alert>;

  const machineOptions = [
    { value: '', label: t('portal.requests.form.machinePlaceholder') },
    ...machines.data.machines.map((m) => ({ value: m.deviceId, label: `${m.deviceId} · ${modelDisplayName(m.modelId, m.modelName, lng)} · ${m.siteName}` })),
  ];

  return (
    <Stack gap="md" maw={760}>
      <Title order={1} size="h2">
        {t('portal.requests.form.title')}
      </Title>
      <form onSubmit={submit} noValidate aria-label={t('portal.requests.form.title')}>
        <Stack gap="md">
          <LabelledSegments
            id="request-kind-label"
            label={t('portal.requests.form.kind')}
            value={kind}
            onChange={(v) => setKind(v as Kind)}
            data={[
            { value: 'service', label: t('portal.requests.kind.service') },
            { value: 'parts_quote', label: t('portal.requests.kind.parts_quote') },
            ]}
          />
          <NativeSelect
            label={t('portal.requests.form.machine')}
            value={deviceId}
            onChange={(e) => {
              setDeviceId(e.currentTarget.value);
              setKitLevel('');
            }}
            data={machineOptions}
            required
          />
          <NativeSelect
            label={t('portal.requests.form.kit')}
            value={kitLevel}
            onChange={(e) => setKitLevel(e.currentTarget.value as Level | '')}
            data={[{ value: '', label: t('portal.requests.form.kitNone') }, ...kitOptions]}
            disabled={!machine}
            data-testid="request-kit"
          />
          {selectedKit?.kit && (
            <Paper withBorder p="sm" radius="md" bg="gray.0" data-testid="request-kit-contents">
              <Text size="sm" fw={600} mb={4}>
                {selectedKit.printed} {selectedKit.name}
              </Text>
              {selectedKit.kit.contents.map((c) => (
                <Text key={c.number} size="sm">
                  <Text span ff="monospace">
                    {c.printed}
                  </Text>{' '}
                  {c.name} × {c.quantity}
                </Text>
              ))}
            </Paper>
          )}
          <Paper withBorder p="sm" radius="md">
            <Text size="sm" fw={600} mb="xs">
              {t('portal.requests.form.parts')}
            </Text>
            <Stack gap="xs">
              {lines.map((l, i) => {
                const found = foundOf(i);
                return (
                <Group key={l.key} align="flex-end" gap="xs" wrap="wrap" data-testid="request-part-line">
                  <TextInput
                    label={t('portal.requests.form.partNumber')}
                    placeholder={t('portal.requests.form.partNumberPlaceholder')}
                    value={l.typed}
                    onChange={(e) => {
                      const typed = e.currentTarget.value;
                      setLines((ls) => ls.map((x) => (x.key === l.key ? { ...x, typed } : x)));
                    }}
                    onBlur={() => setLines((ls) => ls.map((x) => (x.key === l.key ? { ...x, checked: x.typed.trim() } : x)))}
                    w={200}
                    error={found === null ? t('portal.requests.form.notFound') : undefined}
                  />
                  <NumberInput
                    label={t('portal.requests.form.quantity')}
                    value={l.quantity}
                    min={1}
                    max={10_000}
                    onChange={(v) => setLines((ls) => ls.map((x) => (x.key === l.key ? { ...x, quantity: Math.max(1, Number(v) || 1) } : x)))}
                    w={100}
                  />
                  <ActionIcon
                    variant="default"
                    size="lg"
                    mb={found === null ? 22 : 0}
                    aria-label={t('portal.requests.form.removePart', { number: l.typed })}
                    onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}
                  >
                    ×
                  </ActionIcon>
                  {found && (
                    <Text size="sm" mb={8} data-testid="part-found">
                      <Text span ff="monospace" fw={600}>
                        {found.printed}
                      </Text>{' '}
                      {found.name}
                    </Text>
                  )}
                </Group>
                );
              })}
              <Button variant="light" size="xs" w="fit-content" onClick={() => setLines((ls) => [...ls, { key: (lineSeq += 1), typed: '', checked: '', quantity: 1 }])}>
                + {t('portal.requests.form.addPart')}
              </Button>
            </Stack>
          </Paper>
          <Textarea
            label={t('portal.requests.form.message')}
            placeholder={t('portal.requests.form.messagePlaceholder')}
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            autosize
            minRows={3}
            maxLength={4000}
          />
          {(problem || create.isError) && (
            <Alert color="red" role="alert">
              {problem ?? t('portal.requests.form.failed', { message: create.error?.message ?? '' })}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('portal.requests.form.submit')}
            </Button>
            <Button component={Link} to="/requests" variant="default">
              {t('portal.requests.form.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
