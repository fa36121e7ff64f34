/** Where in a plan file a problem is: field names and array indexes from its root. */
export type Path = (string | number)[];

/** A problem with a loaded plan, at `path`; the plan reader turns it into a UsageError at file:line:col. */
export class Invalid extends Error {
  constructor(
    readonly path: Path,
    message: string,
  ) {
    super(message);
  }
}
