import { useParams } from 'react-router';
import { RequestDetailPage } from '../../features/requests/components/request-detail-page.tsx';
import { RequestFormPage } from '../../features/requests/components/request-form-page.tsx';
import { RequestsPage } from '../../features/requests/components/requests-page.tsx';

/** Loaded on demand: my requests, a new request, one request (one chunk for the three). */
export default function RequestsRoute({ view }: { view: 'list' | 'new' | 'detail' }) {
  const { id = '' } = useParams();
  if (view === 'new') return <RequestFormPage />;
  if (view === 'detail') return <RequestDetailPage key={id} id={id} />;
  return <RequestsPage />;
}
