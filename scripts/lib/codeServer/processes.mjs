// @ts-check
/** Tracking the process groups we started, so they die with us. See ../codeServer.mjs for the whole. */

import { readFileSync, readdirSync } from 'node:fs';
import { STOP_GRACE_MS, sleep } from './common.mjs';

/** Process groups we started and have not stopped yet. */
export const live = new Set();
export const SIGNALS = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);

/**
 * Remember a group so it dies with us. Being detached, code-server does not get the Ctrl-C
 * that the terminal sends to our foreground group, so we relay it ourselves.
 * @param {number} pid
 */
export function track(pid) {
  if (live.size === 0) {
    process.on('exit', killAllSync);
    for (const sig of SIGNALS) process.on(sig, onSignal);
  }
  live.add(pid);
}

/** @param {number} pid */
export function untrack(pid) {
  live.delete(pid);
  if (live.size === 0) {
    process.off('exit', killAllSync);
    for (const sig of SIGNALS) process.off(sig, onSignal);
  }
}

/** 'exit' handlers must be synchronous: no grace period, just SIGKILL. */
export function killAllSync() {
  for (const pid of live) signalTree(pid, treeOf(pid), 'SIGKILL');
  live.clear();
}

/**
 * Kill our groups, then let the signal do what it would have done without us: if nobody else
 * listens for it, re-raise it with the default action (terminate).
 * @param {NodeJS.Signals} sig
 */
export function onSignal(sig) {
  const alone = process.listenerCount(sig) === 1;
  killAllSync();
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off('exit', killAllSync);
  if (alone) process.kill(process.pid, sig);
}

/**
 * Stop a group: SIGTERM, wait up to the grace period for the leader to exit, then SIGKILL;
 * resolve once no process of the group (or any descendant that left it) is alive.
 * @param {number} pid
 * @param {Promise<unknown>} exited
 */
export async function stopGroup(pid, exited) {
  // Snapshot descendants first: processes that moved to their own session (terminals via
  // node-pty call setsid) are out of the group, and once code-server is gone they are
  // re-parented and can no longer be found from it.
  const tree = treeOf(pid);
  signalTree(pid, tree, 'SIGTERM');
  await waitGone(pid, tree, STOP_GRACE_MS);
  if (aliveIn(pid, tree).length) signalTree(pid, tree, 'SIGKILL');
  await exited;
  await waitGone(pid, tree, STOP_GRACE_MS);
  untrack(pid);
}

/**
 * Poll until nothing of the group/tree is alive, or the time is up.
 * @param {number} pgid @param {number[]} tree @param {number} ms
 */
export async function waitGone(pgid, tree, ms) {
  const deadline = Date.now() + ms;
  while (aliveIn(pgid, tree).length && Date.now() < deadline) await sleep(50);
}

/**
 * Signal a process group plus descendants that left it.
 * @param {number} pgid @param {number[]} tree @param {NodeJS.Signals} sig
 */
export function signalTree(pgid, tree, sig) {
  for (const target of [-pgid, ...tree]) {
    try {
      process.kill(target, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Read `/proc/<pid>/stat` for every process: pid, parent, group and state.
 * (The command name in field 2 may contain spaces and parentheses, so parse after the last `)`.)
 * @returns {{ pid: number, ppid: number, pgrp: number, state: string }[]}
 */
export function processTable() {
  /** @type {{ pid: number, ppid: number, pgrp: number, state: string }[]} */
  const table = [];
  let entries;
  try {
    entries = readdirSync('/proc');
  } catch {
    return table;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.push({ pid: Number(name), ppid: Number(ppid), pgrp: Number(pgrp), state: state ?? '' });
    } catch {
      // exited while we were reading
    }
  }
  return table;
}

/**
 * All descendants of `pid` (not including it).
 * @param {number} pid
 * @returns {number[]}
 */
export function treeOf(pid) {
  const table = processTable();
  const found = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of table) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  found.delete(pid);
  return [...found];
}

/**
 * Live (non-zombie) processes in group `pgid` or among `tree`. Zombies are ignored: they are
 * already dead and only wait for whoever inherited them to reap them.
 * @param {number} pgid @param {number[]} tree
 */
export function aliveIn(pgid, tree) {
  const wanted = new Set(tree);
  return processTable()
    .filter((p) => p.state !== 'Z' && (p.pgrp === pgid || wanted.has(p.pid)))
    .map((p) => p.pid);
}

/**
 * Wrap an async function so that it runs once and every call gets the same promise.
 * @param {() => Promise<void>} fn
 * @returns {() => Promise<void>}
 */
export function once(fn) {
  /** @type {Promise<void> | undefined} */
  let promise;
  return () => (promise ??= fn());
}
