// Shared by the serialize/parse tests: a hand-made bundle, parameters and operations over it.
import { BUNDLE_ID } from '../src/model.js';
import type { HttpMethod, JsonSchema, MediaType, Operation, Parameter, ParameterLocation, ParameterStyle, SchemaBundle } from '../src/model.js';

export const at = { file: 'hand-made.yaml', pointer: '' };

export interface HandMade {
  bundle: SchemaBundle;
  param(name: string, where: ParameterLocation, style: ParameterStyle, explode: boolean, def: string, extra?: Partial<Parameter>): Parameter;
  operation(path: string, parameters: Parameter[], content?: MediaType[]): Operation;
}

export function handMade(defs: Record<string, JsonSchema>, opts: { method?: HttpMethod; bodyRequired?: boolean } = {}): HandMade {
  const bundle: SchemaBundle = { root: { $id: BUNDLE_ID, $defs: defs }, origin: new WeakMap(), unknownFormats: [] };
  return {
    bundle,
    param: (name, where, style, explode, def, extra = {}) => ({
      name,
      in: where,
      required: where === 'path',
      style,
      explode,
      allowReserved: false,
      allowEmptyValue: false,
      deprecated: false,
      schema: { def, schema: defs[def]!, location: at },
      examples: [],
      location: at,
      ...extra,
    }),
    operation: (path, parameters, content = []) => {
      const op: Operation = {
        id: 'op',
        hasOperationId: true,
        method: opts.method ?? 'post',
        path,
        tags: [],
        deprecated: false,
        parameters,
        responses: [],
        security: [],
        servers: [],
        location: at,
      };
      if (content.length > 0) op.requestBody = { required: opts.bodyRequired ?? true, content, location: at };
      return op;
    },
  };
}
