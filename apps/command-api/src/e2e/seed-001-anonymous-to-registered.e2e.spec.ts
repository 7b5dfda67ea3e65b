import { describeSeed001 } from '../../test/seed-001-anonymous-to-registered.flows';
import { startTestApp } from '../../test/test-app';

describeSeed001('embedded default', () => startTestApp());
