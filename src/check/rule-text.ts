// Turning a rule's location back into words for messages: '#/components/…/maximum' and its value '100'.
import type { SchemaBundle, SourceLocation, ValidationIssue } from '../model.js';
import { showValue } from './responses.js';
import { schemaAt } from '../schema/by-place.js';

/** '#/paths/~1pets/get/…' — prefixed with the file name when the rule lives in another file than the spec. */
export function pointerText(location: SourceLocation, specSource: string): string {
  if (location.file === specSource || location.file === '') return `#${location.pointer}`;
  const file = location.file.slice(location.file.replace(/\\/g, '/').lastIndexOf('/') + 1);
  return `${file}#${location.pointer}`;
}

function parentPointer(pointer: string): { parent: string; last: string } {
  const slash = pointer.lastIndexOf('/');
  return { parent: pointer.slice(0, slash), last: pointer.slice(slash + 1).replace(/~1/g, '/').replace(/~0/g, '~') };
}

/**
 * The value of the keyword a rule points at ('100' for …/maximum), read from the converted schema, or
 * undefined when the conversion changed the keyword (boolean exclusiveMaximum …) or it cannot be found.
 */
export function ruleValue(bundle: SchemaBundle, rule: SourceLocation): string | undefined {
  const { parent, last } = parentPointer(rule.pointer);
  const schema = schemaAt(bundle, { file: rule.file, pointer: parent });
  if (schema === undefined || !(last in schema)) return undefined;
  const value = schema[last];
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return undefined;
  return showValue(value);
}

/** What a validation issue expected, from its keyword and params: 'maximum (limit: 100)'. */
export function issueExpectation(issue: ValidationIssue): string {
  const params = Object.entries(issue.params)
    .map(([key, value]) => `${key}: ${showValue(value)}`)
    .join(', ');
  return `${issue.keyword}${params === '' ? '' : ` (${params})`}`;
}
