import { randomBytes } from 'node:crypto';
import { JsonValue, MergedFrom, ProfileState, ProfileStatus, initialProfileState } from '@cds/domain';
import { LogPosition, ProfileDocument } from '@cds/application';

/** A tenant handle no other test (or run against the same server) uses. */
export const uniqueTenant = (label = 't'): string => `${label}-${randomBytes(6).toString('hex')}`;

/** A checkpoint name no other test uses. */
export const uniqueCheckpoint = (label = 'projector'): string => `${label}-${randomBytes(6).toString('hex')}`;

/** Builds read-model documents for tests: an active profile at position 1 unless told otherwise. */
export class ProfileDocumentBuilder {
  private readonly state: ProfileState;
  private position: LogPosition = 1;

  constructor(private readonly tenant: string, profileId: string) {
    this.state = {
      ...initialProfileState(profileId),
      status: 'active',
      anonymous_profile_tracker: `tracker-${profileId}`,
      trackers: [`tracker-${profileId}`],
      created_at: '2024-01-01T00:00:00.000Z',
      updated_at: '2024-01-01T00:00:00.000Z',
    };
  }

  at(position: LogPosition): this {
    this.position = position;
    return this;
  }

  status(status: ProfileStatus): this {
    this.state.status = status;
    return this;
  }

  merged(into: string): this {
    this.state.status = 'merged';
    this.state.merged_into = into;
    return this;
  }

  deleted(): this {
    this.state.status = 'deleted';
    return this;
  }

  userId(userId: string | null): this {
    this.state.user_id = userId;
    this.state.verified = userId !== null;
    return this;
  }

  trackers(...trackers: string[]): this {
    this.state.trackers = trackers;
    return this;
  }

  identity(name: string, value: JsonValue): this {
    this.state.attributes.identity_attributes[name] = value;
    return this;
  }

  trait(name: string, value: JsonValue): this {
    this.state.attributes.traits[name] = value;
    return this;
  }

  appData(application: string, name: string, value: JsonValue): this {
    const app = (this.state.attributes.application_data[application] ??= {});
    app[name] = value;
    return this;
  }

  mergedFrom(...entries: MergedFrom[]): this {
    this.state.merged_from.push(...entries);
    return this;
  }

  updatedAt(iso: string): this {
    this.state.updated_at = iso;
    return this;
  }

  /** Free-form changes for what the helpers above don't cover. */
  with(change: (state: ProfileState) => void): this {
    change(this.state);
    return this;
  }

  build(): ProfileDocument {
    return { tenant: this.tenant, profile_id: this.state.profile_id, state: JSON.parse(JSON.stringify(this.state)) as ProfileState, position: this.position };
  }
}

export const aProfile = (tenant: string, profileId: string): ProfileDocumentBuilder =>
  new ProfileDocumentBuilder(tenant, profileId);

/** `p-007`-style ids that sort in numeric order. */
export const numberedId = (n: number, width = 3): string => `p-${String(n).padStart(width, '0')}`;
