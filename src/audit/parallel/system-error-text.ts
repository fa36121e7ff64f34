/**
 * An error's message without the absolute path Node appends to system errors (`ENOENT: no such file or directory,
 * open '/abs/path'`): callers name the file as the user gave it instead.
 */
export function systemErrorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { path, syscall } = err as NodeJS.ErrnoException;
  const suffix = path !== undefined && syscall !== undefined ? `, ${syscall} '${path}'` : undefined;
  return suffix !== undefined && err.message.endsWith(suffix) ? err.message.slice(0, -suffix.length) : err.message;
}
