/**
 * Bad input from the user (a file, a document, an option). The CLI prints its message as one line on
 * stderr and exits 2. The message names the file, the JSON pointer or the option.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}
