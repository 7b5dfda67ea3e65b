import { describeSeed000 } from '../../test/seed-000-two-devices.flows';
import { describeSeed001 } from '../../test/seed-001-anonymous-to-registered.flows';
import { mongoReadModelEnv } from '../../test/real-servers';
import { startTestApp } from '../../test/test-app';

// The seed flows over HTTP with the read model in the MongoDB wire server.
describeSeed000('MongoDB read model', () => startTestApp(mongoReadModelEnv()));
describeSeed001('MongoDB read model', () => startTestApp(mongoReadModelEnv()));
