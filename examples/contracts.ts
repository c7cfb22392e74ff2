// Where the example API's contracts live. They stay in examples/ (not copied to dist/), so paths are resolved
// from the project root: two levels above this compiled file (dist/examples/contracts.js).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export const EXAMPLE_CONTRACTS = {
  '3.1': path.join(projectRoot, 'examples', 'openapi.yaml'),
  '3.0': path.join(projectRoot, 'examples', 'openapi-3.0.yaml'),
  '2.0': path.join(projectRoot, 'examples', 'swagger-2.0.yaml'),
} as const;
