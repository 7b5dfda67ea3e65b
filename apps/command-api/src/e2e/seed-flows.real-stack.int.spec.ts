import { describeSeed000 } from '../../test/seed-000-two-devices.flows';
import { describeSeed001 } from '../../test/seed-001-anonymous-to-registered.flows';
import { realStackEnv } from '../../test/real-servers';
import { startTestApp } from '../../test/test-app';

// HTTP → EventStoreDB (gRPC emulator) → projector → MongoDB wire server, step by step.
describeSeed000('EventStoreDB and MongoDB', () => startTestApp(realStackEnv(['acme'])));
describeSeed001('EventStoreDB and MongoDB', () => startTestApp(realStackEnv(['retail'])));
