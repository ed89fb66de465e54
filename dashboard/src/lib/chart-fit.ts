import type uPlot from 'uplot';

/**
 * Keeps a plot as wide as its host: the layout decides the width, uPlot needs it in pixels.
 * Returns the clean-up for the effect that made the plot.
 */
export function fitToHost(plot: uPlot, host: HTMLElement, minWidth: number, height: number): () => void {
  const observer = new ResizeObserver(() => {
    const width = Math.max(minWidth, host.clientWidth);
    if (width !== plot.width) plot.setSize({ width, height });
  });
  observer.observe(host);
  return () => observer.disconnect();
}
