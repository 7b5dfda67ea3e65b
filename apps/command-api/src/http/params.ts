import { Injectable, PipeTransform } from '@nestjs/common';
import { assertTenant } from '@cds/application';
import { isScope, isUuid, Scope, validationError } from '@cds/domain';

/** The organization handle in the path names the tenant; its shape is checked before any use. */
@Injectable()
export class TenantPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return assertTenant(value);
  }
}

@Injectable()
export class ProfileIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw validationError('invalid_profile_id', `"${value}" is not a profile id (a UUID)`);
    return value.toLowerCase();
  }
}

@Injectable()
export class ScopePipe implements PipeTransform<string, Scope> {
  transform(value: string): Scope {
    if (!isScope(value)) {
      throw validationError('invalid_scope', `Unknown scope "${value}": identity_attributes, traits or application_data`);
    }
    return value;
  }
}
