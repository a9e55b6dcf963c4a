/** Where the CLI writes: the report on stdout, progress and errors on stderr. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}
