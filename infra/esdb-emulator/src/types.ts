/** Shapes shared by the emulator's store and its gRPC handlers. */

/** An event as the client proposes it in an append. */
export interface ProposedEvent {
  /** UUID in its canonical lower-case string form. */
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

/** An event once written: what reads and subscriptions return. */
export interface RecordedEvent extends ProposedEvent {
  readonly streamId: string;
  /** 0-based position of the event inside its stream. */
  readonly revision: bigint;
  /**
   * Position in the global log ($all). Monotonically increasing, byte-offset-like. The emulator
   * uses the same value for the commit and the prepare position.
   */
  readonly position: bigint;
  /** .NET ticks (100 ns) since the Unix epoch, which is what the server sends as "created". */
  readonly created: bigint;
}

export type ExpectedRevision =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'exact'; readonly revision: bigint };

export type AppendResult =
  | {
      readonly ok: true;
      /** Revision of the last event of the stream after the append; undefined = no stream. */
      readonly currentRevision: bigint | undefined;
      /** Global position of the last event written (or matched, for an idempotent retry). */
      readonly position: bigint | undefined;
    }
  | {
      readonly ok: false;
      readonly currentRevision: bigint | undefined;
      readonly expected: ExpectedRevision;
    };
