/** DI tokens for what the apps need beyond the ports (which carry their own tokens). */
export const CDS_CONFIG = Symbol('CdsConfig');
export const READ_MODEL_CATCH_UP = Symbol('ReadModelCatchUp');
export const CHECKPOINTS = Symbol('Checkpoints');
/** The unifier's partitions as this process takes part in them (see createUnificationHost). */
export const UNIFICATION_HOST = Symbol('UnificationHost');
