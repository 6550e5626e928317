/**
 * The process environment the built functions read, set the way Netlify sets it, and given back
 * as it was when the harness stops.
 */
export type EnvChanges = Readonly<Record<string, string | undefined>>;

/** Sets (or, for undefined, removes) each variable; the returned function restores the old values. */
export function setEnv(changes: EnvChanges): () => void {
  const before = Object.fromEntries(Object.keys(changes).map((name) => [name, process.env[name]]));
  const apply = (values: EnvChanges) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(changes);
  return () => apply(before);
}
