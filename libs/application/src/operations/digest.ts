import { createHash } from 'node:crypto';
import { canonicalJson, JsonValue, toUnifiedProfile } from '@cds/domain';
import { ProfileDocument, ProfileReadModel } from '../ports/read-model.port';

export interface ReadModelDigest {
  /** `sha256:<hex>` over the canonical lines below, in (tenant, profile_id) order. */
  digest: string;
  /** Live profiles. */
  profiles: number;
  /** Merged-away ids and where they lead. */
  redirects: number;
}

export interface DigestOptions {
  /** Documents read per page. */
  pageSize?: number;
  /** Only these tenants. */
  tenants?: string[];
  /** Called after each page with the documents read so far. */
  onProgress?: (documents: number) => void;
}

/**
 * What readers can see of one document, as one canonical line: a live profile as the API returns
 * it, or a merged-away id with its survivor. Erased profiles read like absent ones and add nothing.
 */
export function digestLine(document: ProfileDocument): string | null {
  const { tenant, state } = document;
  if (state.status === 'active') {
    return canonicalJson({ tenant, profile: toUnifiedProfile(tenant, state) } as unknown as JsonValue);
  }
  if (state.status === 'merged') {
    return canonicalJson({ tenant, profile_id: document.profile_id, merged_into: state.merged_into });
  }
  return null;
}

/**
 * A content digest of a read model: equal for two read models that answer every read alike,
 * whatever their storage, positions or key order. A rebuild is checked against the live one with it.
 */
export async function digestReadModel(readModel: ProfileReadModel, options: DigestOptions = {}): Promise<ReadModelDigest> {
  const pageSize = options.pageSize ?? 1000;
  const hash = createHash('sha256');
  let profiles = 0;
  let redirects = 0;
  let documents = 0;
  const ranges: Array<string | null> = options.tenants && options.tenants.length > 0 ? [...new Set(options.tenants)].sort() : [null];
  for (const tenant of ranges) {
    let after = tenant === null ? undefined : { tenant, profileId: '' };
    for (;;) {
      const page = await readModel.scan(after, pageSize);
      let done = page.length < pageSize;
      for (const document of page) {
        if (tenant !== null && document.tenant !== tenant) {
          done = true;
          break;
        }
        const line = digestLine(document);
        if (line !== null) {
          hash.update(line);
          hash.update('\n');
          if (document.state.status === 'active') profiles += 1;
          else redirects += 1;
        }
        documents += 1;
      }
      options.onProgress?.(documents);
      if (done || page.length === 0) break;
      const last = page[page.length - 1];
      after = { tenant: last.tenant, profileId: last.profile_id };
    }
  }
  return { digest: `sha256:${hash.digest('hex')}`, profiles, redirects };
}
