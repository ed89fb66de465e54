import { ReportPrintPage } from '../../features/usage/components/report-print-page.tsx';

/** Loaded on demand, outside the app frame: the A4 usage report. */
export default function ReportPrintRoute() {
  return <ReportPrintPage />;
}
