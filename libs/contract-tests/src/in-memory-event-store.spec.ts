import { InMemoryEventStore } from '@cds/application';
import { describeEventStoreContract } from './event-store.contract';

// The application layer's specs run on this store: it must behave as the real logs do.
describeEventStoreContract('InMemoryEventStore', async () => {
  const store = new InMemoryEventStore();
  return { store, cleanup: () => store.close() };
});
