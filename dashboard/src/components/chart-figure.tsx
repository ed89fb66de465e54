import { useId, type ComponentPropsWithoutRef, type Ref } from 'react';

const VISUALLY_HIDDEN = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;

interface ChartFigureProps extends Omit<ComponentPropsWithoutRef<'figure'>, 'title'> {
  /** The element the chart library draws into. */
  hostRef: Ref<HTMLDivElement>;
  title: string;
  unit: string;
  /** Text alternative for screen readers. */
  summary: string;
  /** Space under the caption, in px. */
  captionGap?: number;
}

/** A chart as a captioned figure: the drawing is an image named by the caption and described by a summary only screen readers see. */
export function ChartFigure({ hostRef, title, unit, summary, captionGap = 4, style, ...figure }: ChartFigureProps) {
  const summaryId = useId();
  return (
    <figure style={{ margin: 0, ...style }} {...figure}>
      <figcaption style={{ fontWeight: 600, fontSize: 14, marginBottom: captionGap }}>
        {title} ({unit})
      </figcaption>
      <div ref={hostRef} role="img" aria-label={`${title} (${unit})`} aria-describedby={summaryId} />
      <p id={summaryId} style={VISUALLY_HIDDEN}>
        {summary}
      </p>
    </figure>
  );
}
