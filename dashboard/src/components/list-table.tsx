import { Table, type TableProps } from '@mantine/core';
import type { ReactNode } from 'react';

/** A table's header row from its column names (a blank name: a column without heading, such as actions). */
export function ColumnHeaders({ labels }: { labels: ReadonlyArray<string | false> }) {
  return (
    <Table.Thead>
      <Table.Tr>
        {labels.map((label, i) =>
          label === false ? null : (
            <Table.Th key={`${i}:${label}`} scope="col">
              {label}
            </Table.Th>
          ),
        )}
      </Table.Tr>
    </Table.Thead>
  );
}

type ListTableProps = Omit<TableProps, 'children'> & {
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth: number;
  labels: ReadonlyArray<string | false>;
  /** The body rows. */
  children: ReactNode;
};

/** A list page's table: scrolls sideways on narrow screens, a header row from the column names, the rows. */
export function ListTable({ minWidth, labels, children, ...table }: ListTableProps) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table {...table}>
        <ColumnHeaders labels={labels} />
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
