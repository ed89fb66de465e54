import { Group, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A list page's heading, with how many there are (announced when it changes) and the page's actions. */
export function PageHeader({ title, count, children }: { title: string; count?: string | null; children?: ReactNode }) {
  return (
    <Group justify="space-between" align="center" wrap="wrap">
      <Title order={1} size="h2">
        {title}
      </Title>
      <Group gap="sm">
        {count && (
          <Text c="dimmed" size="sm" aria-live="polite">
            {count}
          </Text>
        )}
        {children}
      </Group>
    </Group>
  );
}
