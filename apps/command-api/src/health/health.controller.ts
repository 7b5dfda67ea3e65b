import { Controller, Get, Inject } from '@nestjs/common';
import { EVENT_STORE, EventStore, ProfileProjector } from '@cds/application';
import { Public } from '../auth/auth.decorators';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(ProfileProjector) private readonly projector: ProfileProjector,
  ) {}

  /** The process answers. */
  @Public()
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** The log answers, and where the read model stands against it. */
  @Public()
  @Get('ready')
  async ready() {
    const head = await this.eventStore.headPosition();
    const projector = this.projector.getStatus();
    return { status: 'ok', log_head: head, projector };
  }
}
