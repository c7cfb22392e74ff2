import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { BUNDLE_ID } from '../model.js';
import type { Direction, JsonSchema, SchemaBundle, SchemaHandle, SourceLocation, ValidationIssue, Validator } from '../model.js';
import { directionalRoot } from './direction.js';
import { lenientRegExp, openApiFormats } from './formats.js';

// ajv ships CommonJS; under NodeNext the default import is module.exports, whose `.default` is the class too.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

type Ajv = InstanceType<typeof Ajv2020>;

// code.regExp: real documents use patterns like '^[\\w\\:]+$' that are invalid under the 'u' flag Ajv adds.
const AJV_OPTIONS = { strict: false, allErrors: true, verbose: true, validateFormats: true, logger: false, code: { regExp: lenientRegExp } } as const;

/** One Ajv2020 instance over the bundle; each def is compiled on first use, once per direction. */
export function createValidator(bundle: SchemaBundle): Validator {
  const ajv = newAjv(bundle.unknownFormats);
  const roots = new Map<Direction, DirectionRoot>();
  const compiled = new Map<string, ValidateFunction>();

  function rootFor(direction: Direction): DirectionRoot {
    let root = roots.get(direction);
    if (!root) {
      root = directionalRoot(bundle.root, direction);
      if (![...roots.values()].some((known) => known.id === root!.id)) ajv.addSchema(root.schema as object);
      roots.set(direction, root);
    }
    return root;
  }

  function compiledFor(def: string, direction: Direction): ValidateFunction {
    const cacheKey = `${direction} ${def}`;
    let validate = compiled.get(cacheKey);
    if (!validate) {
      const root = rootFor(direction);
      if (!(def in bundle.root.$defs)) throw new Error(`schema def "${def}" is not in the bundle`);
      validate = ajv.getSchema(`${root.id}#/$defs/${encodeURIComponent(pointerToken(def))}`);
      if (!validate) throw new Error(`schema def "${def}" could not be compiled`);
      compiled.set(cacheKey, validate);
    }
    return validate;
  }

  return {
    validate(schema: SchemaHandle, value: unknown, direction: Direction): ValidationIssue[] {
      const validate = compiledFor(schema.def, direction);
      if (validate(value)) return [];
      const root = rootFor(direction);
      return (validate.errors ?? []).map((error) => toIssue(error, (s) => ruleBase(s, root, bundle.origin)));
    },
  };
}

/** A per-direction view of the bundle: its own $id, and a way back from its objects to the bundle's. */
export interface DirectionRoot {
  id: string;
  schema: JsonSchema;
  /** the bundle object a schema object of this root stands for (itself when shared) */
  originalOf(schema: object): object;
}

function newAjv(unknownFormats: readonly string[]): Ajv {
  const ajv = new Ajv2020(AJV_OPTIONS);
  addFormats(ajv);
  for (const [name, format] of Object.entries(openApiFormats)) ajv.addFormat(name, format);
  for (const name of unknownFormats) {
    if (!ajv.formats[name]) ajv.addFormat(name, true);
  }
  return ajv;
}

function ruleBase(parentSchema: unknown, root: DirectionRoot, origin: WeakMap<object, SourceLocation>): SourceLocation | undefined {
  if (typeof parentSchema !== 'object' || parentSchema === null) return undefined;
  return origin.get(root.originalOf(parentSchema));
}

function toIssue(error: ErrorObject, locate: (parentSchema: unknown) => SourceLocation | undefined): ValidationIssue {
  const issue: ValidationIssue = {
    instancePath: error.instancePath,
    keyword: error.keyword,
    message: error.message ?? error.keyword,
    params: { ...error.params },
  };
  const base = locate(error.parentSchema);
  if (base) issue.rule = { file: base.file, pointer: `${base.pointer}/${pointerToken(error.keyword)}` };
  return issue;
}

function pointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
