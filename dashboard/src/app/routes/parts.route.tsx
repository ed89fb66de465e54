import { PartsPage } from '../../features/parts/components/parts-page.tsx';

/** Public (no sign-in) and loaded on demand: not part of the sign-in + fleet bundle. */
export default function PartsRoute() {
  return <PartsPage />;
}
