import { InMemoryKeyStore } from '@cds/application';
import { describeKeyStoreContract } from '@cds/contract-tests';

describeKeyStoreContract('in memory', async () => {
  const store = new InMemoryKeyStore();
  return { store, cleanup: () => store.close() };
}, { storage: false });
