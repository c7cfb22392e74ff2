// Manners towards the terminal and the pipe: colour by the usual conventions, and a reader that went away.

interface ColorStream {
  isTTY?: boolean;
}

/**
 * Colour or not, the way chalk and no-color.org agree: --no-color (false) wins; then FORCE_COLOR ("0" or
 * "false" off, anything else on, even in a pipe); then NO_COLOR set to anything but "" turns it off; then
 * TERM=dumb; then whether the stream is a terminal.
 */
export function colorEnabled(stream: ColorStream, flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false) return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}

/**
 * `api-contract-check … | head`: once the reader has gone, what is left to print has no one to read it.
 * Further writes are dropped and the command finishes with its own exit code, without an EPIPE stack trace.
 */
export function endQuietlyOnBrokenPipe(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
      stream.write = ((_chunk: unknown, encodingOrCallback?: unknown, callback?: unknown): boolean => {
        const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
        if (typeof done === 'function') (done as () => void)();
        return true;
      }) as typeof stream.write;
    });
  }
}
