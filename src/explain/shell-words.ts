// POSIX shell word splitting for a pasted command line: quotes, backslashes, $'…', line continuations.
// No expansion happens: `$TOKEN` stays as written, since we cannot know its value.
import { InputError } from '../errors.js';

export interface ShellWords {
  /** the words of the first simple command */
  words: string[];
  /** what followed an unquoted control operator (`| jq .`, `> out.json`, `&& …`), dropped */
  dropped?: string;
  /** `$NAME` references left unexpanded, for a note */
  unexpanded: string[];
}

const OPERATOR_START = new Set(['|', ';', '&', '>', '<']);

/** Splits one command line into words; throws InputError on an unterminated quote or a Windows `^` continuation. */
export function splitShellWords(text: string): ShellWords {
  rejectWindowsContinuation(text);
  const words: string[] = [];
  const unexpanded: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const end = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '\n') i += 2; // line continuation
      else if (next === '\r' && text[i + 2] === '\n') i += 3;
      else if (next === undefined) throw new InputError('curl command: a backslash ends the line with nothing after it');
      else {
        word += next;
        inWord = true;
        i += 2;
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      end();
      i++;
      continue;
    }
    if (c === '#' && !inWord) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? text.length : newline;
      continue;
    }
    if (OPERATOR_START.has(c)) {
      end();
      return { words, dropped: text.slice(i).trim(), unexpanded };
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new InputError(`curl command: unterminated single quote at character ${i + 1}`);
      word += text.slice(i + 1, close);
      inWord = true;
      i = close + 1;
      continue;
    }
    if (c === '$' && text[i + 1] === "'") {
      const { value, next } = readAnsiC(text, i + 2);
      word += value;
      inWord = true;
      i = next;
      continue;
    }
    if (c === '"' || (c === '$' && text[i + 1] === '"')) {
      const start = c === '$' ? i + 2 : i + 1;
      const { value, next } = readDoubleQuoted(text, start, unexpanded);
      word += value;
      inWord = true;
      i = next;
      continue;
    }
    if (c === '$') noteVariable(text, i, unexpanded);
    word += c;
    inWord = true;
    i++;
  }
  end();
  return { words, unexpanded };
}

function rejectWindowsContinuation(text: string): void {
  if (/\^\r?\n/.test(text) || /\^"/.test(text)) {
    throw new InputError(
      'curl command: it uses Windows cmd quoting (^ continuations or ^" escapes); copy it as "cURL (bash)" instead',
    );
  }
}

function noteVariable(text: string, at: number, unexpanded: string[]): void {
  const match = /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(at));
  if (match && !unexpanded.includes(match[0])) unexpanded.push(match[0]);
}

// Inside double quotes a backslash escapes only $ ` " \ and newline (POSIX 2.2.3).
function readDoubleQuoted(text: string, start: number, unexpanded: string[]): { value: string; next: number } {
  let value = '';
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return { value, next: i + 1 };
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '\n') {
        i += 2;
        continue;
      }
      if (next !== undefined && '$`"\\'.includes(next)) {
        value += next;
        i += 2;
        continue;
      }
    }
    if (c === '$') noteVariable(text, i, unexpanded);
    value += c;
    i++;
  }
  throw new InputError(`curl command: unterminated double quote at character ${start}`);
}

const ANSI_ESCAPES: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v',
  '\\': '\\', "'": "'", '"': '"', '?': '?',
};

// Bash's $'…': C-style escapes, \xHH, \uHHHH, \UHHHHHHHH and octal \nnn.
function readAnsiC(text: string, start: number): { value: string; next: number } {
  let value = '';
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") return { value, next: i + 1 };
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) break;
    if (e in ANSI_ESCAPES) {
      value += ANSI_ESCAPES[e];
      i += 2;
      continue;
    }
    const numeric = readNumericEscape(text, i + 1);
    if (numeric) {
      value += numeric.char;
      i = numeric.next;
      continue;
    }
    value += `\\${e}`;
    i += 2;
  }
  throw new InputError(`curl command: unterminated $'…' quote at character ${start - 1}`);
}

function readNumericEscape(text: string, at: number): { char: string; next: number } | undefined {
  const forms: Array<[RegExp, number]> = [
    [/^x([0-9A-Fa-f]{1,2})/, 16],
    [/^u([0-9A-Fa-f]{1,4})/, 16],
    [/^U([0-9A-Fa-f]{1,8})/, 16],
    [/^([0-7]{1,3})/, 8],
  ];
  const rest = text.slice(at, at + 10);
  for (const [form, radix] of forms) {
    const match = form.exec(rest);
    if (match) {
      const code = parseInt(match[1]!, radix);
      if (code > 0x10ffff) return undefined;
      return { char: String.fromCodePoint(code), next: at + match[0].length };
    }
  }
  return undefined;
}
