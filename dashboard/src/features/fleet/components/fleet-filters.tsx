import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Site } from '@airfleet/contracts';
import { DISPLAY_STATES, EMPTY_FILTER, type DisplayState, type FleetFilter } from './fleet-view.ts';

interface FleetFiltersProps {
  filter: FleetFilter;
  /** Only the changed fields: the page merges them into the current URL. */
  onChange: (patch: Partial<FleetFilter>) => void;
  sites: readonly Site[];
  /** Customer users see one customer: no point offering the choice. */
  showCustomer: boolean;
}

export function FleetFilters({ filter, onChange, sites, showCustomer }: FleetFiltersProps) {
  const { t } = useTranslation();
  const customers = [...new Map(sites.map((s) => [s.customerId, s.customerName])).entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const siteOptions = sites.filter((s) => !filter.customerId || s.customerId === filter.customerId);
  const all = { value: '', label: t('fleet.filters.all') };
  const active = filter.q || filter.customerId || filter.siteId || filter.state;

  return (
    <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('fleet.filters.label')}>
      <TextInput
        label={t('fleet.filters.search')}
        placeholder={t('fleet.filters.searchPlaceholder')}
        type="search"
        value={filter.q}
        onChange={(e) => onChange({ q: e.currentTarget.value })}
        w={{ base: '100%', sm: 260 }}
      />
      {showCustomer && (
        <NativeSelect
          label={t('fleet.filters.customer')}
          value={filter.customerId}
          // A site of another customer would hide everything: reset it with the customer.
          onChange={(e) => onChange({ customerId: e.currentTarget.value, siteId: '' })}
          data={[all, ...customers.map(([value, label]) => ({ value, label }))]}
          w={{ base: '47%', sm: 200 }}
        />
      )}
      <NativeSelect
        label={t('fleet.filters.site')}
        value={filter.siteId}
        onChange={(e) => onChange({ siteId: e.currentTarget.value })}
        data={[all, ...siteOptions.map((s) => ({ value: s.id, label: s.name }))]}
        w={{ base: '47%', sm: 220 }}
      />
      <NativeSelect
        label={t('fleet.filters.state')}
        value={filter.state}
        onChange={(e) => onChange({ state: e.currentTarget.value as DisplayState | '' })}
        data={[all, ...DISPLAY_STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))]}
        w={{ base: '47%', sm: 150 }}
      />
      {active && (
        <Button variant="subtle" onClick={() => onChange(EMPTY_FILTER)}>
          {t('fleet.filters.clear')}
        </Button>
      )}
    </Group>
  );
}
