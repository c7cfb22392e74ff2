// The report stage's own part of a finding: the curl that reproduces it and the line of the rule it cites.
import type { ApiSpec, Finding } from '../model.js';
import { renderCurl } from '../send/curl.js';
import type { SecretPolicy } from '../send/secrets.js';
import { rememberOperationLine, rememberPolicy, sentRequest } from './view.js';

/**
 * Fills Finding.curl and Finding.specLine in place, and records the secret policy so console, JSON and
 * JUnit output hide the same names without being passed it again.
 */
export function finalizeFindings(findings: Finding[], spec: Pick<ApiSpec, 'locate'>, policy: SecretPolicy): void {
  for (const finding of findings) {
    rememberPolicy(finding, policy);
    finding.curl = renderCurl(finding.exchange.url, sentRequest(finding), { secrets: policy });
    if (finding.specPointer && finding.specLine === undefined) {
      const line = lineOf(spec, finding.specPointer);
      if (line !== undefined) finding.specLine = line;
    }
    const operationLine = lineOf(spec, finding.exchange.case.operation.location);
    if (operationLine !== undefined) rememberOperationLine(finding, operationLine);
  }
}

function lineOf(spec: Pick<ApiSpec, 'locate'>, location: NonNullable<Finding['specPointer']> | undefined): number | undefined {
  if (!location) return undefined;
  try {
    return spec.locate(location)?.line;
  } catch {
    return undefined; // a location we cannot map is shown without a line, never an error
  }
}
