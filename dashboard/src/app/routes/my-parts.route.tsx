import { MyPartsPage } from '../../features/my-parts/components/my-parts-page.tsx';

/** Loaded on demand: the BOM and next kit of each own machine. */
export default function MyPartsRoute() {
  return <MyPartsPage />;
}
