/** The settings of lifetime contracts (`contracts:` in the configuration) the contract rules are built with. */
export interface ContractSettings {
  /** Lifetime scopes, shortest first (`call` … `process`). */
  scopes: readonly string[];
  /** Globs of `contracts.require`: paths where exported functions need contracts (empty: nowhere). */
  require: readonly string[];
}

/** Lifetime scopes when the configuration names none. */
export const DEFAULT_SCOPES: readonly string[] = ["call", "request", "process"];

export const DEFAULT_CONTRACTS: ContractSettings = { scopes: DEFAULT_SCOPES, require: [] };
