import { InMemoryLeaseStore } from '@cds/application';
import { describeLeaseStoreContract } from './lease-store.contract';

describeLeaseStoreContract('in memory', async () => ({ store: new InMemoryLeaseStore(), cleanup: async () => undefined }));
