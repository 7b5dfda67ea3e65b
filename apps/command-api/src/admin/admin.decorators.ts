import { applyDecorators, UseGuards } from '@nestjs/common';
import { Public } from '../auth/auth.decorators';
import { AdminGuard } from './admin.guard';

/** An operators' endpoint: no organization token, the admin token instead. */
export const AdminOnly = () => applyDecorators(Public(), UseGuards(AdminGuard));
