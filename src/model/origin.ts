/**
 * Where a piece of the mesh came from: the construct path and, lazily, the user's
 * file:line. Formatting a stack is costly, so it happens only when an error is printed.
 */
export interface Origin {
  readonly path: string;
  readonly location?: () => string | undefined;
}
