/** The process environment as functions, scripts and the server read it: one type for all of them. */
export type Env = Readonly<Record<string, string | undefined>>;
