import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { notFound } from '@cds/domain';
import { Public } from '../auth/auth.decorators';
import { ConsoleFiles } from './console-files';

/**
 * The web console is static files; it signs in itself, in the browser, with the same client
 * credentials as any caller, so serving it needs no token. Its pages may talk to this origin only.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

@Public()
@Controller('console')
export class ConsoleController {
  constructor(@Inject(ConsoleFiles) private readonly files: ConsoleFiles) {}

  /** `/console` → `/console/`, so that the app's relative URLs resolve under it. */
  @Get()
  root(@Res() reply: FastifyReply): void {
    void reply.redirect('/console/', 301);
  }

  @Get('*')
  async file(@Param('*') path: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const found = await this.files.lookup(path ?? '');
    if (found.kind === 'not_built') {
      throw notFound('console_not_built', 'The web console has not been built: run npm run build');
    }
    if (found.kind === 'not_found') throw notFound('not_found', `No console file ${path}`);
    const { file } = found;
    void reply
      .headers(SECURITY_HEADERS)
      .header('content-type', file.contentType)
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(file.body);
  }
}
