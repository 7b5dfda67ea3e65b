import { LogPosition } from '../ports/event-store.port';
import { CheckpointUpdate, ProfileDocument, ProfileReadModel } from '../ports/read-model.port';
import { ActiveReadModel } from '../operations/active-read-model';
import { DEFAULT_GENERATION } from '../operations/generations.port';
import { Projection, ProjectionTarget } from '../processing/projection';
import { CATEGORY } from '../streams/stream-names';
import { documentKey, foldIntoDocument, profileRefOf } from './profile-fold';

/** The unified-profile projection: each profile stream folds into its profile's document, with the command side's evolve. */
export const profileProjection: Projection<ProfileDocument> = {
  name: 'unified-profiles',
  filter: { streamPrefixes: [`${CATEGORY.profile}-`] },
  documentId: (event) => {
    const ref = profileRefOf(event);
    return ref === null ? null : documentKey(ref);
  },
  evolve: (document, event) => {
    const ref = profileRefOf(event);
    return ref === null ? undefined : foldIntoDocument(document, ref, event);
  },
};

/**
 * A profile read model as the processor's target. Its generation names the leases: the active
 * generation for an ActiveReadModel, else the one given (default: the first generation).
 */
export function profileReadModelTarget(readModel: ProfileReadModel, generation?: string): ProjectionTarget<ProfileDocument> {
  return {
    load: (documentIds) => loadProfiles(readModel, documentIds),
    write: (documents: ProfileDocument[], checkpoint: CheckpointUpdate) => readModel.applyBatch(documents, checkpoint),
    checkpoint: (name: string): Promise<LogPosition | null> => readModel.checkpoint(name),
    generation: () => generation ?? (readModel instanceof ActiveReadModel ? readModel.current().id : DEFAULT_GENERATION),
  };
}

/** Documents by `<tenant>/<profile_id>` key, one read-model query per tenant. */
async function loadProfiles(readModel: ProfileReadModel, documentIds: string[]): Promise<Map<string, ProfileDocument>> {
  const idsByTenant = new Map<string, string[]>();
  for (const key of documentIds) {
    const slash = key.indexOf('/');
    const tenant = key.slice(0, slash);
    const ids = idsByTenant.get(tenant) ?? [];
    ids.push(key.slice(slash + 1));
    idsByTenant.set(tenant, ids);
  }
  const loaded = new Map<string, ProfileDocument>();
  for (const [tenant, ids] of idsByTenant) {
    const docs = await readModel.getMany(tenant, ids);
    for (const [profileId, doc] of docs) loaded.set(documentKey({ tenant, profileId }), doc);
  }
  return loaded;
}
