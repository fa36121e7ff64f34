import { gzipSync } from 'node:zlib';

/*
 * GitHub code scanning's rules on top of the SARIF 2.1.0 schema (docs: /work/shared/docs/sarif-notes.md).
 * An upload that breaks any of them is rejected whole, so tests run every SARIF tagaudit writes through this.
 * Returns the problems found, each as `<JSON path>: <what is wrong>`; an empty list means GitHub would accept it.
 */

export const GITHUB_LIMITS = {
  runsPerFile: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  tagsPerRule: 20,
  locationsPerResult: 1_000,
  descriptionChars: 1024,
  gzipBytes: 10 * 1024 * 1024,
} as const;

type Json = Record<string, unknown>;

export function checkGithubSarif(log: unknown): string[] {
  const problems: string[] = [];
  const fail = (path: string, why: string): void => void problems.push(`${path}: ${why}`);

  if (!isObject(log)) return ['$: not an object'];
  if (!nonEmptyString(log.$schema)) fail('$.$schema', 'missing');
  if (log.version !== '2.1.0') fail('$.version', `must be "2.1.0", got ${JSON.stringify(log.version)}`);
  if (!Array.isArray(log.runs) || log.runs.length === 0) {
    fail('$.runs', 'missing or empty');
    return problems;
  }
  if (log.runs.length > GITHUB_LIMITS.runsPerFile) fail('$.runs', `${log.runs.length} runs; at most ${GITHUB_LIMITS.runsPerFile}`);

  const text = JSON.stringify(log);
  if (text.length > GITHUB_LIMITS.gzipBytes && gzipSync(text).length > GITHUB_LIMITS.gzipBytes) fail('$', 'over 10 MB gzipped');

  log.runs.forEach((run: unknown, r) => checkRun(run, `$.runs[${r}]`, fail));
  return problems;
}

function checkRun(run: unknown, at: string, fail: (path: string, why: string) => void): void {
  if (!isObject(run)) return fail(at, 'not an object');
  const driver = isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : undefined;
  if (!driver) return fail(`${at}.tool.driver`, 'missing');
  if (!nonEmptyString(driver.name)) fail(`${at}.tool.driver.name`, 'missing or empty');
  const rules = Array.isArray(driver.rules) ? (driver.rules as unknown[]) : undefined;
  if (!rules) fail(`${at}.tool.driver.rules`, 'missing');
  else if (rules.length > GITHUB_LIMITS.rulesPerRun) fail(`${at}.tool.driver.rules`, `${rules.length} rules; at most ${GITHUB_LIMITS.rulesPerRun}`);
  (rules ?? []).forEach((rule, i) => checkRule(rule, `${at}.tool.driver.rules[${i}]`, fail));

  if (run.automationDetails !== undefined) {
    const id = isObject(run.automationDetails) ? run.automationDetails.id : undefined;
    if (id !== undefined && !nonEmptyString(id)) fail(`${at}.automationDetails.id`, 'empty');
  }

  const results = run.results;
  if (!Array.isArray(results)) return fail(`${at}.results`, 'missing');
  if (results.length > GITHUB_LIMITS.resultsPerRun) fail(`${at}.results`, `${results.length} results; at most ${GITHUB_LIMITS.resultsPerRun}`);
  results.forEach((result: unknown, i) => checkResult(result, rules ?? [], `${at}.results[${i}]`, fail));
}

function checkRule(rule: unknown, at: string, fail: (path: string, why: string) => void): void {
  if (!isObject(rule)) return fail(at, 'not an object');
  if (!nonEmptyString(rule.id)) fail(`${at}.id`, 'missing or empty');
  for (const field of ['shortDescription', 'fullDescription'] as const) {
    const value = isObject(rule[field]) ? rule[field].text : undefined;
    if (!nonEmptyString(value)) fail(`${at}.${field}.text`, 'missing or empty');
    else if (value.length > GITHUB_LIMITS.descriptionChars) fail(`${at}.${field}.text`, `${value.length} chars; at most ${GITHUB_LIMITS.descriptionChars}`);
  }
  const help = isObject(rule.help) ? rule.help : undefined;
  if (!help || !nonEmptyString(help.text)) fail(`${at}.help.text`, 'missing or empty');
  if (help && help.markdown !== undefined && !nonEmptyString(help.markdown)) fail(`${at}.help.markdown`, 'empty');

  const props = isObject(rule.properties) ? rule.properties : undefined;
  if (!props) return;
  if (props.tags !== undefined) {
    if (!Array.isArray(props.tags)) fail(`${at}.properties.tags`, 'not an array');
    else if (props.tags.length > GITHUB_LIMITS.tagsPerRule) fail(`${at}.properties.tags`, `${props.tags.length} tags; at most ${GITHUB_LIMITS.tagsPerRule}`);
  }
  const sev = props['security-severity'];
  if (sev !== undefined) {
    if (typeof sev !== 'string' || !/^\d+(\.\d+)?$/.test(sev)) fail(`${at}.properties.security-severity`, `must be a numeric string, got ${JSON.stringify(sev)}`);
    else if (Number(sev) < 0 || Number(sev) > 10) fail(`${at}.properties.security-severity`, `${sev} is outside 0..10`);
  }
}

function checkResult(result: unknown, rules: readonly unknown[], at: string, fail: (path: string, why: string) => void): void {
  if (!isObject(result)) return fail(at, 'not an object');
  const message = isObject(result.message) ? result.message.text : undefined;
  if (!nonEmptyString(message)) fail(`${at}.message.text`, 'missing or empty');
  if (result.ruleId !== undefined && !nonEmptyString(result.ruleId)) fail(`${at}.ruleId`, 'empty');
  if (result.ruleIndex !== undefined) {
    const rule = typeof result.ruleIndex === 'number' ? rules[result.ruleIndex] : undefined;
    if (!isObject(rule)) fail(`${at}.ruleIndex`, `${String(result.ruleIndex)} does not name a rule`);
    else if (result.ruleId !== undefined && rule.id !== result.ruleId) fail(`${at}.ruleIndex`, `points at ${String(rule.id)}, not ${String(result.ruleId)}`);
  }
  if (result.level !== undefined && !['error', 'warning', 'note', 'none'].includes(String(result.level))) fail(`${at}.level`, `invalid ${JSON.stringify(result.level)}`);

  const fps = result.partialFingerprints;
  if (!isObject(fps) || Object.keys(fps).length === 0) fail(`${at}.partialFingerprints`, 'missing');
  else for (const [k, v] of Object.entries(fps)) if (!nonEmptyString(v)) fail(`${at}.partialFingerprints.${k}`, 'empty');

  const locations = result.locations;
  if (!Array.isArray(locations) || locations.length === 0) return fail(`${at}.locations`, 'missing; at least one location is required');
  if (locations.length > GITHUB_LIMITS.locationsPerResult) fail(`${at}.locations`, `${locations.length} locations; at most ${GITHUB_LIMITS.locationsPerResult}`);
  locations.forEach((loc: unknown, i) => {
    const where = `${at}.locations[${i}].physicalLocation`;
    const physical = isObject(loc) && isObject(loc.physicalLocation) ? loc.physicalLocation : undefined;
    if (!physical) return fail(where, 'missing');
    const uri = isObject(physical.artifactLocation) ? physical.artifactLocation.uri : undefined;
    if (!nonEmptyString(uri)) fail(`${where}.artifactLocation.uri`, 'missing or empty');
    else {
      const scheme = uriScheme(uri);
      if (scheme !== undefined && scheme.toLowerCase() !== 'file') {
        fail(`${where}.artifactLocation.uri`, `SARIF URI scheme "${scheme}" did not match the checkout URI scheme "file"`);
      }
    }
    const region = physical.region;
    if (!isObject(region)) fail(`${where}.region`, 'missing');
    else if (typeof region.startLine !== 'number' || region.startLine < 1) fail(`${where}.region.startLine`, 'missing or < 1');
  });
}

/** The scheme a URI reference parses with (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"), if any. */
export function uriScheme(uri: string): string | undefined {
  return /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1];
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}
