// The files of the data directory (MCN_DATA_DIR) that the daemon and `mcn-rights` both open.
export const DATABASE_FILE = "mcn-rights.sqlite";
/** Beside the database, never inside it (audit-key.ts). */
export const AUDIT_KEY_FILE = "audit.key";
