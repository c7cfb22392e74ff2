import { HTTP_METHODS } from '../model.js';
import type {
  ApiSpec, Example, HttpMethod, MediaType, Operation, Parameter, ParameterLocation, ParameterStyle, RequestBody,
  Response, ResponseHeader, SchemaHandle, SecurityRequirement, SecurityScheme, Server, SourceLocation, SpecVersion, SpecWarning,
} from '../model.js';
import { child, isObject } from './documents.js';
import type { DocumentSet, Node } from './documents.js';
import { SchemaBundler, locationOf } from './schemas.js';

export type NormalizedSpec = Omit<ApiSpec, 'locate' | 'source' | 'versionString'>;

const PARAMETER_LOCATIONS = new Set<string>(['path', 'query', 'header', 'cookie']);
const STYLES = new Set<string>(['simple', 'label', 'matrix', 'form', 'spaceDelimited', 'pipeDelimited', 'deepObject']);
// Swagger 2.0 parameters and headers carry their schema keywords inline.
const V2_SCHEMA_FIELDS = [
  'type', 'format', 'items', 'default', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'enum', 'multipleOf', 'x-nullable',
];
const V2_OAUTH_FLOWS: Record<string, string> = {
  implicit: 'implicit', password: 'password', application: 'clientCredentials', accessCode: 'authorizationCode',
};
const FORM_MEDIA_TYPE = /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function keysOf(node: Node): string[] {
  return isObject(node.value) ? Object.keys(node.value).filter((key) => !key.startsWith('x-')) : [];
}

function field(node: Node, name: string): unknown {
  return isObject(node.value) ? node.value[name] : undefined;
}

function pick(source: Record<string, unknown>, names: string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names) if (source[name] !== undefined) picked[name] = source[name];
  return picked;
}

function defaultStyle(location: ParameterLocation): ParameterStyle {
  return location === 'query' || location === 'cookie' ? 'form' : 'simple';
}

function substituteVariables(url: string, variables: unknown): string {
  if (!isObject(variables)) return url;
  return url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && variable.default !== undefined ? String(variable.default) : whole;
  });
}

/** Turns the documents of one API description into the operation model (model.ts). */
export function normalize(documents: DocumentSet, version: SpecVersion, sourceProtocol: string): NormalizedSpec {
  return new Normalizer(documents, version, sourceProtocol).run();
}

class Normalizer {
  private readonly warnings: SpecWarning[] = [];
  private readonly schemas: SchemaBundler;
  private readonly root: Node;
  private readonly v2: boolean;

  constructor(private readonly documents: DocumentSet, private readonly version: SpecVersion, private readonly sourceProtocol: string) {
    this.schemas = new SchemaBundler(documents, version, this.warnings);
    this.root = documents.rootNode();
    this.v2 = version === '2.0';
  }

  run(): NormalizedSpec {
    const info = this.deref(child(this.root, 'info'));
    const securitySchemes = this.v2 ? this.v2SecuritySchemes() : this.securitySchemes();
    const security = this.requirements(field(this.root, 'security')) ?? [];
    const servers = this.v2 ? this.v2Servers(undefined) : this.servers(child(this.root, 'servers')) ?? [{ url: '/' }];
    const operations = this.operations(security, servers);
    return {
      version: this.version,
      title: typeof field(info, 'title') === 'string' ? (field(info, 'title') as string) : '',
      apiVersion: field(info, 'version') === undefined ? '' : String(field(info, 'version')),
      servers,
      operations,
      securitySchemes,
      security,
      schemas: this.schemas.bundle(),
      warnings: this.warnings,
    };
  }

  private deref(node: Node): Node {
    return this.documents.deref(node);
  }

  private warn(message: string, node?: Node): void {
    this.warnings.push(node ? { message, location: locationOf(node) } : { message });
  }

  // ------------------------------------------------------------------ operations

  private operations(globalSecurity: SecurityRequirement[], globalServers: Server[]): Operation[] {
    const paths = this.deref(child(this.root, 'paths'));
    const operations: Operation[] = [];
    for (const path of keysOf(paths)) {
      const item = this.deref(child(paths, path));
      if (!isObject(item.value)) continue;
      const itemServers = this.v2 ? undefined : this.servers(child(item, 'servers'));
      for (const method of HTTP_METHODS) {
        if (field(item, method) === undefined) continue;
        const operation = this.deref(child(item, method));
        if (!isObject(operation.value)) {
          this.warn(`operation ${method.toUpperCase()} ${path} is not an object; skipped`, operation);
          continue;
        }
        operations.push(this.operation(path, method, item, operation, globalSecurity, itemServers ?? globalServers));
      }
    }
    return operations;
  }

  private operation(path: string, method: HttpMethod, item: Node, node: Node, globalSecurity: SecurityRequirement[], inheritedServers: Server[]): Operation {
    const value = node.value as Record<string, unknown>;
    const operationId = typeof value.operationId === 'string' && value.operationId !== '' ? value.operationId : undefined;
    const parameterNodes = this.mergedParameters(item, node);
    const operation: Operation = {
      id: operationId ?? `${method.toUpperCase()} ${path}`,
      hasOperationId: operationId !== undefined,
      method,
      path,
      tags: stringsOf(value.tags),
      deprecated: value.deprecated === true,
      parameters: [],
      responses: [],
      security: this.requirements(value.security) ?? globalSecurity,
      servers: this.v2 ? this.v2Servers(value.schemes) : this.servers(child(node, 'servers')) ?? inheritedServers,
      location: locationOf(node),
    };
    if (typeof value.summary === 'string') operation.summary = value.summary;
    const hint = operationId ?? `${method}.${path}`;
    if (this.v2) {
      this.v2ParametersAndBody(operation, parameterNodes, node, hint);
      operation.responses = this.v2Responses(child(node, 'responses'), node);
    } else {
      operation.parameters = parameterNodes.map((parameter) => this.parameter(parameter)).filter((p): p is Parameter => p !== undefined);
      if (value.requestBody !== undefined) operation.requestBody = this.requestBody(this.deref(child(node, 'requestBody')));
      operation.responses = this.responses(child(node, 'responses'));
    }
    return operation;
  }

  /** Path-level then operation-level parameters; the operation's wins on name + in. */
  private mergedParameters(item: Node, operation: Node): Node[] {
    const listed = (holder: Node): Node[] => {
      const list = child(holder, 'parameters');
      if (!Array.isArray(list.value)) return [];
      return list.value.map((_, index) => this.deref(child(list, index))).filter((parameter) => isObject(parameter.value));
    };
    const identity = (parameter: Node): string => `${String(field(parameter, 'in'))}\u0000${String(field(parameter, 'name'))}`;
    const own = listed(operation);
    const ownIds = new Set(own.map(identity));
    return [...listed(item).filter((parameter) => !ownIds.has(identity(parameter))), ...own];
  }

  // ------------------------------------------------------------------ OpenAPI 3.x

  private parameter(node: Node): Parameter | undefined {
    const value = node.value as Record<string, unknown>;
    const location = value.in;
    if (typeof value.name !== 'string' || typeof location !== 'string' || !PARAMETER_LOCATIONS.has(location)) {
      this.warn(`parameter without a valid name and "in" (path, query, header, cookie); skipped`, node);
      return undefined;
    }
    const where = location as ParameterLocation;
    const style = typeof value.style === 'string' && STYLES.has(value.style) ? (value.style as ParameterStyle) : defaultStyle(where);
    const parameter: Parameter = {
      name: value.name,
      in: where,
      required: where === 'path' ? true : value.required === true,
      style,
      explode: typeof value.explode === 'boolean' ? value.explode : style === 'form',
      allowReserved: value.allowReserved === true,
      allowEmptyValue: value.allowEmptyValue === true,
      deprecated: value.deprecated === true,
      examples: this.examples(node),
      location: locationOf(node),
      ...(typeof value.description === 'string' ? { description: value.description } : {}),
    };
    if (value.schema != null) {
      parameter.schema = this.schemas.handleFor(child(node, 'schema'));
    } else if (isObject(value.content)) {
      const [mediaType] = Object.keys(value.content);
      if (mediaType !== undefined) {
        const content = this.deref(child(node, 'content', mediaType));
        parameter.contentType = mediaType;
        if (field(content, 'schema') != null) parameter.schema = this.schemas.handleFor(child(content, 'schema'));
        parameter.examples.push(...this.examples(content));
      }
    }
    return parameter;
  }

  private requestBody(node: Node): RequestBody {
    return { required: field(node, 'required') === true, content: this.content(child(node, 'content')), location: locationOf(node) };
  }

  private content(node: Node): MediaType[] {
    if (!isObject(node.value)) return [];
    return Object.keys(node.value).map((mediaType) => this.mediaType(mediaType, this.deref(child(node, mediaType))));
  }

  private mediaType(mediaType: string, node: Node): MediaType {
    const result: MediaType = { mediaType, examples: this.examples(node), encoding: this.encoding(field(node, 'encoding')), location: locationOf(node) };
    if (field(node, 'schema') != null) result.schema = this.schemas.handleFor(child(node, 'schema'));
    return result;
  }

  private encoding(value: unknown): MediaType['encoding'] {
    const encoding: MediaType['encoding'] = {};
    if (!isObject(value)) return encoding;
    for (const [name, entry] of Object.entries(value)) {
      if (!isObject(entry)) continue;
      const item: MediaType['encoding'][string] = {};
      if (typeof entry.contentType === 'string') item.contentType = entry.contentType;
      if (typeof entry.style === 'string' && STYLES.has(entry.style)) item.style = entry.style as ParameterStyle;
      if (typeof entry.explode === 'boolean') item.explode = entry.explode;
      if (typeof entry.allowReserved === 'boolean') item.allowReserved = entry.allowReserved;
      encoding[name] = item;
    }
    return encoding;
  }

  /** `example`, `x-example` and the values of `examples` (Example Objects, refs followed). */
  private examples(node: Node): Example[] {
    const value = node.value;
    if (!isObject(value)) return [];
    const examples: Example[] = [];
    for (const key of ['example', 'x-example']) {
      if (value[key] !== undefined) examples.push({ value: value[key], location: locationOf(child(node, key)) });
    }
    if (isObject(value.examples)) {
      for (const name of Object.keys(value.examples)) {
        const example = this.deref(child(node, 'examples', name));
        if (isObject(example.value) && 'value' in example.value) examples.push({ value: example.value.value, location: locationOf(child(example, 'value')) });
      }
    }
    return examples;
  }

  private responses(node: Node): Response[] {
    return keysOf(node).map((status) => {
      const response = this.deref(child(node, status));
      return {
        status: statusKey(status),
        description: typeof field(response, 'description') === 'string' ? (field(response, 'description') as string) : '',
        content: this.content(child(response, 'content')),
        headers: this.headers(child(response, 'headers')),
        links: this.links(child(response, 'links')),
        location: locationOf(response),
      };
    });
  }

  private headers(node: Node): ResponseHeader[] {
    const headers: ResponseHeader[] = [];
    for (const name of isObject(node.value) ? Object.keys(node.value) : []) {
      if (name.toLowerCase() === 'content-type') continue; // OpenAPI: such a header definition SHALL be ignored
      const header = this.deref(child(node, name));
      const result: ResponseHeader = { name, required: field(header, 'required') === true, location: locationOf(header) };
      if (this.v2) {
        if (isObject(header.value)) result.schema = this.schemas.handleForSynthetic(header, pick(header.value, V2_SCHEMA_FIELDS), `header.${name}`);
      } else if (field(header, 'schema') != null) {
        result.schema = this.schemas.handleFor(child(header, 'schema'));
      } else if (isObject(field(header, 'content'))) {
        const [mediaType] = Object.keys(field(header, 'content') as object);
        const content = mediaType === undefined ? undefined : this.deref(child(header, 'content', mediaType));
        if (content && field(content, 'schema') != null) result.schema = this.schemas.handleFor(child(content, 'schema'));
      }
      headers.push(result);
    }
    return headers;
  }

  private links(node: Node): Record<string, unknown> {
    const links: Record<string, unknown> = {};
    for (const name of isObject(node.value) ? Object.keys(node.value) : []) links[name] = this.deref(child(node, name)).value;
    return links;
  }

  private servers(node: Node): Server[] | undefined {
    if (!Array.isArray(node.value) || node.value.length === 0) return undefined;
    return node.value.filter(isObject).filter((server) => typeof server.url === 'string').map((server) => {
      const result: Server = { url: substituteVariables(server.url as string, server.variables) };
      if (typeof server.description === 'string') result.description = server.description;
      return result;
    });
  }

  private securitySchemes(): Record<string, SecurityScheme> {
    const schemes: Record<string, SecurityScheme> = {};
    const holder = child(this.deref(child(this.root, 'components')), 'securitySchemes');
    for (const name of isObject(holder.value) ? Object.keys(holder.value) : []) {
      const node = this.deref(child(holder, name));
      const scheme = isObject(node.value) ? securityScheme(node.value, locationOf(node)) : undefined;
      if (scheme) schemes[name] = scheme;
      else this.warn(`security scheme "${name}" has no valid type; ignored`, node);
    }
    return schemes;
  }

  private requirements(value: unknown): SecurityRequirement[] | undefined {
    if (!Array.isArray(value)) return undefined;
    return value.filter(isObject).map((requirement) =>
      Object.entries(requirement).map(([scheme, scopes]) => ({ scheme, scopes: stringsOf(scopes) })),
    );
  }

  // ------------------------------------------------------------------ Swagger 2.0

  private v2ParametersAndBody(operation: Operation, parameterNodes: Node[], node: Node, hint: string): void {
    const form: Node[] = [];
    for (const parameter of parameterNodes) {
      const location = field(parameter, 'in');
      if (location === 'body') operation.requestBody = this.v2Body(parameter, node);
      else if (location === 'formData') form.push(parameter);
      else {
        const converted = this.v2Parameter(parameter, hint);
        if (converted) operation.parameters.push(converted);
      }
    }
    if (form.length > 0 && !operation.requestBody) operation.requestBody = this.v2FormBody(form, node, hint);
  }

  private v2Parameter(node: Node, hint: string): Parameter | undefined {
    const value = node.value as Record<string, unknown>;
    const location = value.in;
    if (typeof value.name !== 'string' || typeof location !== 'string' || !PARAMETER_LOCATIONS.has(location)) {
      this.warn('parameter without a valid name and "in" (path, query, header, formData, body); skipped', node);
      return undefined;
    }
    const where = location as ParameterLocation;
    const { style, explode } = this.v2Style(where, value, node);
    return {
      name: value.name,
      in: where,
      required: where === 'path' ? true : value.required === true,
      style,
      explode,
      allowReserved: false,
      allowEmptyValue: value.allowEmptyValue === true,
      deprecated: value.deprecated === true || value['x-deprecated'] === true,
      schema: this.schemas.handleForSynthetic(node, pick(value, V2_SCHEMA_FIELDS), `${hint}.${where}.${value.name}`),
      examples: this.examples(node),
      location: locationOf(node),
      ...(typeof value.description === 'string' ? { description: value.description } : {}),
    };
  }

  /** collectionFormat → style/explode (arrays only; other values take the 3.x defaults). */
  private v2Style(where: ParameterLocation | 'formData', value: Record<string, unknown>, node: Node): { style: ParameterStyle; explode: boolean } {
    const simpleOrForm: ParameterStyle = where === 'path' || where === 'header' ? 'simple' : 'form';
    if (value.type !== 'array') return { style: simpleOrForm, explode: simpleOrForm === 'form' };
    const format = typeof value.collectionFormat === 'string' ? value.collectionFormat : 'csv';
    switch (format) {
      case 'csv':
        return { style: simpleOrForm, explode: false };
      case 'ssv':
        return { style: 'spaceDelimited', explode: false };
      case 'pipes':
        return { style: 'pipeDelimited', explode: false };
      case 'multi':
        if (where === 'query' || where === 'formData') return { style: 'form', explode: true };
        this.warn(`collectionFormat "multi" is only valid in query and formData; treated as csv`, node);
        return { style: simpleOrForm, explode: false };
      case 'tsv':
        this.warn('collectionFormat "tsv" has no OpenAPI 3 style; values are treated as comma-separated (csv)', node);
        return { style: simpleOrForm, explode: false };
      default:
        this.warn(`unknown collectionFormat "${format}"; treated as csv`, node);
        return { style: simpleOrForm, explode: false };
    }
  }

  private v2Body(parameter: Node, operation: Node): RequestBody {
    const mediaTypes = this.v2MediaTypes(operation, 'consumes') ?? ['application/json'];
    const value = parameter.value as Record<string, unknown>;
    const schema = value.schema != null ? this.schemas.handleFor(child(parameter, 'schema')) : undefined;
    const named = isObject(value['x-examples']) ? value['x-examples'] : {};
    return {
      required: value.required === true,
      content: mediaTypes.map((mediaType) => {
        const examples = this.examples(parameter);
        if (named[mediaType] !== undefined) examples.push({ value: named[mediaType], location: locationOf(child(parameter, 'x-examples', mediaType)) });
        return this.withSchema({ mediaType, examples, encoding: {}, location: locationOf(parameter) }, schema);
      }),
      location: locationOf(parameter),
    };
  }

  private v2FormBody(parameters: Node[], operation: Node, hint: string): RequestBody {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    const encoding: MediaType['encoding'] = {};
    let hasFile = false;
    for (const parameter of parameters) {
      const value = parameter.value as Record<string, unknown>;
      if (typeof value.name !== 'string') continue;
      properties[value.name] = this.schemas.convertAt(parameter, pick(value, V2_SCHEMA_FIELDS));
      if (value.required === true) required.push(value.name);
      if (value.type === 'file') {
        hasFile = true;
        encoding[value.name] = { contentType: 'application/octet-stream' };
      } else if (value.type === 'array') {
        const { style, explode } = this.v2Style('formData', value, parameter);
        encoding[value.name] = { style, explode };
      }
    }
    const declared = (this.v2MediaTypes(operation, 'consumes') ?? []).filter((mediaType) => FORM_MEDIA_TYPE.test(mediaType));
    const mediaTypes = hasFile ? ['multipart/form-data'] : declared.length > 0 ? declared : ['application/x-www-form-urlencoded'];
    const formSchema: Record<string, unknown> = { type: 'object', properties };
    if (required.length > 0) formSchema.required = required;
    const parametersNode = child(operation, 'parameters');
    const schema = this.schemas.handleForConverted(parametersNode, formSchema, `${hint}.formData`);
    return {
      required: required.length > 0,
      content: mediaTypes.map((mediaType) => this.withSchema({ mediaType, examples: [], encoding, location: locationOf(parametersNode) }, schema)),
      location: locationOf(parametersNode),
    };
  }

  private withSchema(mediaType: MediaType, schema: SchemaHandle | undefined): MediaType {
    if (schema) mediaType.schema = schema;
    return mediaType;
  }

  private v2MediaTypes(operation: Node, key: 'consumes' | 'produces'): string[] | undefined {
    for (const holder of [operation, this.root]) {
      const listed = field(holder, key);
      if (Array.isArray(listed)) return stringsOf(listed);
    }
    return undefined;
  }

  private v2Responses(node: Node, operation: Node): Response[] {
    const produces = this.v2MediaTypes(operation, 'produces');
    return keysOf(node).map((status) => {
      const response = this.deref(child(node, status));
      const value = isObject(response.value) ? response.value : {};
      const content: MediaType[] = [];
      if (value.schema != null) {
        const schema = this.schemas.handleFor(child(response, 'schema'));
        const named = isObject(value.examples) ? value.examples : {};
        const mediaTypes = produces && produces.length > 0 ? produces : ['application/json'];
        for (const mediaType of mediaTypes) {
          const examples: Example[] = named[mediaType] === undefined ? [] : [{ value: named[mediaType], location: locationOf(child(response, 'examples', mediaType)) }];
          content.push(this.withSchema({ mediaType, examples, encoding: {}, location: locationOf(response) }, schema));
        }
      }
      return {
        status: statusKey(status),
        description: typeof value.description === 'string' ? value.description : '',
        content,
        headers: this.headers(child(response, 'headers')),
        links: {},
        location: locationOf(response),
      };
    });
  }

  private v2Servers(operationSchemes: unknown): Server[] {
    const host = field(this.root, 'host');
    const basePath = typeof field(this.root, 'basePath') === 'string' ? (field(this.root, 'basePath') as string).replace(/\/$/, '') : '';
    if (typeof host !== 'string' || host === '') return [{ url: basePath || '/' }];
    const declared = stringsOf(Array.isArray(operationSchemes) ? operationSchemes : field(this.root, 'schemes')).filter((scheme) => /^(https?|wss?)$/i.test(scheme));
    const fallback = this.sourceProtocol === 'http:' ? 'http' : 'https';
    const schemes = declared.length > 0 ? declared : [fallback];
    return schemes.map((scheme) => ({ url: `${scheme.toLowerCase()}://${host}${basePath}` }));
  }

  private v2SecuritySchemes(): Record<string, SecurityScheme> {
    const schemes: Record<string, SecurityScheme> = {};
    const holder = child(this.root, 'securityDefinitions');
    for (const name of isObject(holder.value) ? Object.keys(holder.value) : []) {
      const node = this.deref(child(holder, name));
      const value = isObject(node.value) ? node.value : {};
      const location = locationOf(node);
      if (value.type === 'basic') schemes[name] = { type: 'http', scheme: 'basic', location };
      else if (value.type === 'apiKey' && typeof value.name === 'string' && (value.in === 'header' || value.in === 'query')) {
        schemes[name] = { type: 'apiKey', in: value.in, name: value.name, location };
      } else if (value.type === 'oauth2' && typeof value.flow === 'string' && V2_OAUTH_FLOWS[value.flow]) {
        const flow: { authorizationUrl?: string; tokenUrl?: string; scopes: Record<string, string> } = { scopes: scopesOf(value.scopes) };
        if (typeof value.authorizationUrl === 'string') flow.authorizationUrl = value.authorizationUrl;
        if (typeof value.tokenUrl === 'string') flow.tokenUrl = value.tokenUrl;
        schemes[name] = { type: 'oauth2', flows: { [V2_OAUTH_FLOWS[value.flow]!]: flow }, location };
      } else {
        this.warn(`security definition "${name}" is not a valid basic, apiKey or oauth2 scheme; ignored`, node);
      }
    }
    return schemes;
  }
}

/** '4xx' → '4XX'; other keys exactly as written. */
function statusKey(status: string): string {
  return /^[1-5]xx$/i.test(status) ? status.toUpperCase() : status;
}

function scopesOf(value: unknown): Record<string, string> {
  const scopes: Record<string, string> = {};
  if (isObject(value)) for (const [name, text] of Object.entries(value)) scopes[name] = typeof text === 'string' ? text : '';
  return scopes;
}

function securityScheme(value: Record<string, unknown>, location: SourceLocation): SecurityScheme | undefined {
  switch (value.type) {
    case 'http': {
      if (typeof value.scheme !== 'string') return undefined;
      const scheme: SecurityScheme = { type: 'http', scheme: value.scheme.toLowerCase(), location };
      if (typeof value.bearerFormat === 'string') scheme.bearerFormat = value.bearerFormat;
      return scheme;
    }
    case 'apiKey':
      if (typeof value.name !== 'string' || !(value.in === 'header' || value.in === 'query' || value.in === 'cookie')) return undefined;
      return { type: 'apiKey', in: value.in, name: value.name, location };
    case 'oauth2': {
      const flows: Extract<SecurityScheme, { type: 'oauth2' }>['flows'] = {};
      if (isObject(value.flows)) {
        for (const [name, flow] of Object.entries(value.flows)) {
          if (!isObject(flow)) continue;
          const converted: (typeof flows)[string] = { scopes: scopesOf(flow.scopes) };
          for (const key of ['authorizationUrl', 'tokenUrl', 'refreshUrl'] as const) if (typeof flow[key] === 'string') converted[key] = flow[key] as string;
          flows[name] = converted;
        }
      }
      return { type: 'oauth2', flows, location };
    }
    case 'openIdConnect':
      return typeof value.openIdConnectUrl === 'string' ? { type: 'openIdConnect', openIdConnectUrl: value.openIdConnectUrl, location } : undefined;
    default:
      return typeof value.type === 'string' ? { type: value.type, location } : undefined;
  }
}
