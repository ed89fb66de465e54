import { Button, Group, Table, Text, Title } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { UsageFigures, UsageResponse } from '@airfleet/contracts';
import { figureColumns, type FigureColumn } from './usage-columns.ts';
import { formatPeriod } from './usage-range.ts';
import classes from './usage.module.css';

function FigureCells({ columns, figures }: { columns: FigureColumn[]; figures: UsageFigures }) {
  // A period without any data is "no data", not zero: a machine that was off used nothing, one that was not connected is unknown.
  if (figures.coveredHours === 0 && figures.kwh === 0) {
    return (
      <>
        {columns.map((c) => (
          <Table.Td key={c.key} className={classes.num} data-col={c.key} c="dimmed">
            —
          </Table.Td>
        ))}
      </>
    );
  }
  return (
    <>
      {columns.map((c) => {
        const v = c.value(figures);
        const tone = (c.key === 'vsRated' || c.key === 'vsPeers') && v !== null && Math.abs(v) >= 0.01 ? (v < 0 ? 'better' : 'worse') : undefined;
        return (
          <Table.Td key={c.key} className={classes.num} data-col={c.key} data-tone={tone}>
            {c.format(figures)}
          </Table.Td>
        );
      })}
    </>
  );
}

function HeaderCells({ columns }: { columns: FigureColumn[] }) {
  return (
    <>
      {columns.map((c) => (
        <Table.Th key={c.key} className={classes.numHead} title={c.hint} scope="col">
          {c.label}
        </Table.Th>
      ))}
    </>
  );
}

/** On screen the wide tables scroll sideways; on paper they fit the page (print CSS shrinks the type). */
function Scroll({ fit, children }: { fit: boolean; children: ReactNode }) {
  return fit ? <>{children}</> : <Table.ScrollContainer minWidth={1000}>{children}</Table.ScrollContainer>;
}

interface TableProps {
  data: UsageResponse;
  fit?: boolean;
  /** The server's CSV of the period table (null on the print page). */
  csvHref?: string | null;
  headingOrder?: 2 | 3;
}

/** One row per day, week or month, with the range's totals at the foot. */
export function PeriodsTable({ data, csvHref = null, headingOrder = 2, fit = false }: TableProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const columns = useMemo(() => figureColumns(t, lng, data.tariff), [t, lng, data.tariff]);
  return (
    <section aria-labelledby="usage-periods-title" className={classes.block}>
      <Group justify="space-between" align="center" mb="xs">
        <Title order={headingOrder} size="h4" id="usage-periods-title">
          {t('portal.usage.periodsTitle')}
        </Title>
        {csvHref && (
          <Button component="a" href={csvHref} download variant="default" size="xs" className={classes.noPrint} data-testid="csv-periods">
            {t('portal.usage.exportCsv')}
          </Button>
        )}
      </Group>
      <Scroll fit={fit}>
        <Table striped withTableBorder fz="sm" className={classes.table} data-testid="usage-periods-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('portal.usage.columns.period')}</Table.Th>
              <HeaderCells columns={columns} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.rows.map((row) => (
              <Table.Tr key={row.period}>
                <Table.Th scope="row" fw={500} className={classes.rowHead}>
                  {formatPeriod(row.period, data.granularity, lng)}
                </Table.Th>
                <FigureCells columns={columns} figures={row} />
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr className={classes.totalRow}>
              <Table.Th scope="row" className={classes.rowHead}>
                {t('portal.usage.totals')}
              </Table.Th>
              <FigureCells columns={columns} figures={data.totals} />
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Scroll>
    </section>
  );
}

/** Each machine over the whole range: which one uses the energy, which one wastes it. */
export function MachinesTable({ data, csvHref = null, headingOrder = 2, fit = false }: TableProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const columns = useMemo(() => figureColumns(t, lng, data.tariff), [t, lng, data.tariff]);
  return (
    <section aria-labelledby="usage-machines-title" className={classes.block}>
      <Group justify="space-between" align="center" mb="xs">
        <Title order={headingOrder} size="h4" id="usage-machines-title">
          {t('portal.usage.machinesTitle')}
        </Title>
        {csvHref && (
          <Button component="a" href={csvHref} download variant="default" size="xs" className={classes.noPrint} data-testid="csv-machines">
            {t('portal.usage.exportCsv')}
          </Button>
        )}
      </Group>
      <Scroll fit={fit}>
        <Table striped withTableBorder fz="sm" className={classes.table} data-testid="usage-machines-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('portal.usage.columns.machine')}</Table.Th>
              <HeaderCells columns={columns} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.machines.map((m) => (
              <Table.Tr key={m.deviceId} data-device-id={m.deviceId}>
                <Table.Th scope="row" fw={500} className={classes.rowHead}>
                  {m.deviceId}
                  <Text span size="xs" c="dimmed" display="block">
                    {m.modelId} · {m.serial}
                  </Text>
                </Table.Th>
                <FigureCells columns={columns} figures={m.totals} />
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Scroll>
    </section>
  );
}
