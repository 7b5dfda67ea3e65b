import { createHash } from 'node:crypto';

/** Which share of the tenants a unifier instance decides for: tenants are spread by a hash of their handle. */
export interface UnifierPartition {
  index: number;
  count: number;
}

export const WHOLE_LOG: UnifierPartition = { index: 0, count: 1 };

export function partitionName(partition: UnifierPartition): string {
  return `p${partition.index}of${partition.count}`;
}

export function tenantPartition(tenant: string, count: number): number {
  if (count <= 1) return 0;
  return createHash('sha256').update(tenant).digest().readUInt32BE(0) % count;
}

export function ownsTenant(partition: UnifierPartition, tenant: string): boolean {
  return tenantPartition(tenant, partition.count) === partition.index;
}
