import { SegmentedControl, Text, type SegmentedControlProps } from '@mantine/core';

/** A segmented control with a visible label above it (Mantine's has none), named by that label for screen readers. */
export function LabelledSegments({ id, label, ...control }: SegmentedControlProps & { id: string; label: string }) {
  return (
    <div>
      <Text size="sm" fw={500} id={id} mb={4}>
        {label}
      </Text>
      <SegmentedControl aria-labelledby={id} {...control} />
    </div>
  );
}
