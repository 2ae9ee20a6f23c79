/** The rule registry: every rule memlint runs, in documentation order. */
import { type ContractSettings, DEFAULT_CONTRACTS } from "../contracts/settings.js";
import type { Rule, RuleMeta } from "../engine/types.js";
import deferInLoop from "./defer-in-loop.js";
import cgoCstringNotFreed from "./cgo-cstring-not-freed.js";
import execStartWithoutWait from "./exec-start-without-wait.js";
import timeAfterInLoop from "./time-after-in-loop.js";
import tickerNotStopped from "./ticker-not-stopped.js";
import contextCancelNotCalled from "./context-cancel-not-called.js";
import httpBodyNotClosed from "./http-body-not-closed.js";
import sqlResourceNotClosed from "./sql-resource-not-closed.js";
import fileNotClosed from "./file-not-closed.js";
import connNotClosed from "./conn-not-closed.js";
import contractInvalid from "./contract-invalid.js";
import contractBorrowEscapes from "./contract-borrow-escapes.js";
import contractLifetimeExceeded from "./contract-lifetime-exceeded.js";
import contractUseAfterMove from "./contract-use-after-move.js";
import contractOwnedReturnAliases from "./contract-owned-return-aliases.js";
import contractBoundsUnchecked from "./contract-bounds-unchecked.js";
import contractMissing from "./contract-missing.js";
import goroutineBlockedSend from "./goroutine-blocked-send.js";
import goroutineNoExit from "./goroutine-no-exit.js";
import goroutineOutlivesHandler from "./goroutine-outlives-handler.js";
import goroutineRangeUnclosedChan from "./goroutine-range-unclosed-chan.js";
import poolPutNonPointer from "./pool-put-non-pointer.js";
import poolNewReturnsNil from "./pool-new-returns-nil.js";
import poolPutWithoutReset from "./pool-put-without-reset.js";
import poolUseAfterPut from "./pool-use-after-put.js";
import httpServerNoTimeouts from "./http-server-no-timeouts.js";
import forcedGc from "./forced-gc.js";
import globalMapUnbounded from "./global-map-unbounded.js";
import subsliceRetention from "./subslice-retention.js";
import slicePopRetention from "./slice-pop-retention.js";
import bufferReuseWithoutReset from "./buffer-reuse-without-reset.js";
import stringConcatInLoop from "./string-concat-in-loop.js";
import regexpCompileInHotPath from "./regexp-compile-in-hot-path.js";
import httpBodyNotDrained from "./http-body-not-drained.js";
import sliceAppendNoPrealloc from "./slice-append-no-prealloc.js";
import unsafeUintptrRoundtrip from "./unsafe-uintptr-roundtrip.js";
import poolUnboundedBuffer from "./pool-unbounded-buffer.js";
import unsafeOrLinkname from "./unsafe-or-linkname.js";
import cgoGoPointerToC from "./cgo-go-pointer-to-c.js";
import poolPutUncleared from "./pool-put-uncleared.js";
import timeTickLeak from "./time-tick-leak.js";
import contextWrappedInLoop from "./context-wrapped-in-loop.js";
import selectDefaultBusyLoop from "./select-default-busy-loop.js";
import finalizerSelfReference from "./finalizer-self-reference.js";
import gcTuningInCode from "./gc-tuning-in-code.js";
import mapWriteInGoroutineUnlocked from "./map-write-in-goroutine-unlocked.js";
import stwCallInHotPath from "./stw-call-in-hot-path.js";
import timerNotStopped from "./timer-not-stopped.js";
import timerResetUnsafe from "./timer-reset-unsafe.js";
import httpBodyCloseBeforeErrCheck from "./http-body-close-before-err-check.js";
import sqlTxNotFinalized from "./sql-tx-not-finalized.js";
import unboundedBodyRead from "./unbounded-body-read.js";
import httpClientNoTimeout from "./http-client-no-timeout.js";
import httpTransportPerCall from "./http-transport-per-call.js";
import bufioWriterNotFlushed from "./bufio-writer-not-flushed.js";
import mutexUnlockMissingOnReturn from "./mutex-unlock-missing-on-return.js";
import fieldGrowthUnbounded from "./field-growth-unbounded.js";
import releaseRemoved from "./release-removed.js";
import sendGuardRemoved from "./send-guard-removed.js";
import cleanupRemoved from "./cleanup-removed.js";
import { unusedIgnore } from "./unused-ignore.js";

/**
 * Every rule memlint runs, in documentation order, built with the configured settings (the
 * contract rules need the lifetime scopes and the paths that require contracts).
 */
export function buildRules(contracts: ContractSettings = DEFAULT_CONTRACTS): Rule[] {
  return [
    deferInLoop,
    timeAfterInLoop,
    tickerNotStopped,
    contextCancelNotCalled,
    contractInvalid(contracts),
    contractBorrowEscapes(contracts),
    contractLifetimeExceeded(contracts),
    contractUseAfterMove(contracts),
    contractOwnedReturnAliases(contracts),
    contractBoundsUnchecked(contracts),
    contractMissing(contracts),
    httpBodyNotClosed,
    sqlResourceNotClosed,
    fileNotClosed,
    connNotClosed,
    goroutineBlockedSend,
    goroutineNoExit,
    goroutineRangeUnclosedChan,
    poolPutNonPointer,
    poolNewReturnsNil,
    poolPutWithoutReset,
    poolUseAfterPut,
    httpServerNoTimeouts,
    forcedGc,
    globalMapUnbounded,
    subsliceRetention,
    cgoCstringNotFreed,
    execStartWithoutWait,
    goroutineOutlivesHandler,
    bufferReuseWithoutReset,
    stringConcatInLoop,
    regexpCompileInHotPath,
    unsafeUintptrRoundtrip,
    poolUnboundedBuffer,
    unsafeOrLinkname,
    cgoGoPointerToC,
    httpBodyNotDrained,
    sliceAppendNoPrealloc,
    poolPutUncleared,
    timeTickLeak,
    timerNotStopped,
    contextWrappedInLoop,
    selectDefaultBusyLoop,
    mapWriteInGoroutineUnlocked,
    finalizerSelfReference,
    gcTuningInCode,
    stwCallInHotPath,
    timerResetUnsafe,
    httpBodyCloseBeforeErrCheck,
    sqlTxNotFinalized,
    unboundedBodyRead,
    httpClientNoTimeout,
    httpTransportPerCall,
    bufioWriterNotFlushed,
    mutexUnlockMissingOnReturn,
    fieldGrowthUnbounded,
    slicePopRetention,
    releaseRemoved,
    sendGuardRemoved,
    cleanupRemoved,
  ];
}

/** The rules with the default settings (their metadata does not depend on settings). */
export const RULES: readonly Rule[] = buildRules();

/** Rules the engine reports itself rather than through a rule module's `check`. */
export const ENGINE_RULES: readonly RuleMeta[] = [unusedIgnore];

export const ALL_RULE_METAS: readonly RuleMeta[] = [...RULES.map((r) => r.meta), ...ENGINE_RULES];

export const KNOWN_RULE_IDS: ReadonlySet<string> = new Set(ALL_RULE_METAS.map((m) => m.id));

export function ruleMeta(id: string): RuleMeta | undefined {
  return ALL_RULE_METAS.find((m) => m.id === id);
}
