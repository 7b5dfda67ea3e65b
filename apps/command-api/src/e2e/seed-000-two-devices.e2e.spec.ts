import { describeSeed000 } from '../../test/seed-000-two-devices.flows';
import { startTestApp } from '../../test/test-app';

describeSeed000('embedded default', () => startTestApp());
