import { Button, Group, Table, Text, Title } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { UsageFigures, UsageResponse } from '@airfleet/contracts';
import { modelDisplayName } from '../../../lib/model-name.ts';
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
  /** The server's CSV of the table (null on the print page). */
  csvHref?: string | null;
  headingOrder?: 2 | 3;
}

interface FiguresTableProps extends Omit<TableProps, 'data'> {
  /** Names the section, its heading id, test ids and the CSV button. */
  name: 'periods' | 'machines';
  title: string;
  firstColumn: string;
  columns: FigureColumn[];
  rows: Array<{ key: string; head: ReactNode; figures: UsageFigures; deviceId?: string }>;
  /** The range's totals as a footer row. */
  totals?: UsageFigures;
}

/** A titled table of usage figures: a heading cell per row, the figure columns, optionally a totals footer. */
function FiguresTable({ name, title, firstColumn, columns, rows, totals, csvHref = null, headingOrder = 2, fit = false }: FiguresTableProps) {
  const { t } = useTranslation();
  const titleId = `usage-${name}-title`;
  return (
    <section aria-labelledby={titleId} className={classes.block}>
      <Group justify="space-between" align="center" mb="xs">
        <Title order={headingOrder} size="h4" id={titleId}>
          {title}
        </Title>
        {csvHref && (
          <Button component="a" href={csvHref} download variant="default" size="xs" className={classes.noPrint} data-testid={`csv-${name}`}>
            {t('portal.usage.exportCsv')}
          </Button>
        )}
      </Group>
      <Scroll fit={fit}>
        <Table striped withTableBorder fz="sm" className={classes.table} data-testid={`usage-${name}-table`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{firstColumn}</Table.Th>
              <HeaderCells columns={columns} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.key} data-device-id={row.deviceId}>
                <Table.Th scope="row" fw={500} className={classes.rowHead}>
                  {row.head}
                </Table.Th>
                <FigureCells columns={columns} figures={row.figures} />
              </Table.Tr>
            ))}
          </Table.Tbody>
          {totals && (
            <Table.Tfoot>
              <Table.Tr className={classes.totalRow}>
                <Table.Th scope="row" className={classes.rowHead}>
                  {t('portal.usage.totals')}
                </Table.Th>
                <FigureCells columns={columns} figures={totals} />
              </Table.Tr>
            </Table.Tfoot>
          )}
        </Table>
      </Scroll>
    </section>
  );
}

/** The figure columns in the UI language, with the report's tariff (for the cost column). */
function useFigureColumns(data: UsageResponse) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const columns = useMemo(() => figureColumns(t, lng, data.tariff), [t, lng, data.tariff]);
  return { t, lng, columns };
}

/** One row per day, week or month, with the range's totals at the foot. */
export function PeriodsTable({ data, ...rest }: TableProps) {
  const { t, lng, columns } = useFigureColumns(data);
  return (
    <FiguresTable
      {...rest}
      name="periods"
      title={t('portal.usage.periodsTitle')}
      firstColumn={t('portal.usage.columns.period')}
      columns={columns}
      rows={data.rows.map((row) => ({ key: row.period, head: formatPeriod(row.period, data.granularity, lng), figures: row }))}
      totals={data.totals}
    />
  );
}

/** Each machine over the whole range: which one uses the energy, which one wastes it. */
export function MachinesTable({ data, ...rest }: TableProps) {
  const { t, lng, columns } = useFigureColumns(data);
  return (
    <FiguresTable
      {...rest}
      name="machines"
      title={t('portal.usage.machinesTitle')}
      firstColumn={t('portal.usage.columns.machine')}
      columns={columns}
      rows={data.machines.map((m) => ({
        key: m.deviceId,
        deviceId: m.deviceId,
        head: (
          <>
            {m.deviceId}
            <Text span size="xs" c="dimmed" display="block" title={modelDisplayName(m.modelId, m.modelId, lng)}>
              {m.modelId} · {m.serial}
            </Text>
          </>
        ),
        figures: m.totals,
      }))}
    />
  );
}
