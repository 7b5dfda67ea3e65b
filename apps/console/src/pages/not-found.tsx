import { Link } from '../components/link';
import { EmptyState } from '../components/notice';
import { PageHeader } from '../components/page-header';
import { href } from '../lib/router';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState title="There is no console page at this address." action={<Link class="button" href={href('/attributes')}>Go to profile attributes</Link>}>
        <p>The link may be out of date. Use the menu above to find your way.</p>
      </EmptyState>
    </>
  );
}
