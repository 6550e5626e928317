/**
 * What the harness's build of the functions imports in place of src/settings/index.ts (see
 * settingsSeam in build-functions.ts): the same `settings` binding, but set by the test instead of
 * read from content/settings.json at bundle time. Every function bundle holds its own copy of this
 * module; they all register with one slot on globalThis, which `installSettings` (called by the
 * harness, outside the bundles) fills, so a test changes the settings of every function at once.
 */
import type { Settings } from '../../src/settings/schema.ts';

interface Slot {
  settings: Settings | undefined;
  readonly setters: ((value: Settings) => void)[];
}

const SLOT = Symbol.for('komma.harness.settings');

function slot(): Slot {
  const global = globalThis as { [SLOT]?: Slot };
  return (global[SLOT] ??= { settings: undefined, setters: [] });
}

/** The settings the functions read on their next call; a live binding, as ESM exports are. */
export let settings: Settings = slot().settings as Settings;
slot().setters.push((value) => {
  settings = value;
});

/** Gives every function bundle loaded so far, and every one loaded later, these settings. */
export function installSettings(value: Settings): void {
  const current = slot();
  current.settings = value;
  for (const set of current.setters) set(value);
}
