/**
 * What a tag key says about its value. Keys repeat across millions of resources, so the result is cached per
 * distinct key; detectors read it as a bit set.
 */
export const K_PERSON = 1 << 0; // owner, approver, requested-by … (value may be a person's name)
export const K_EMAIL = 1 << 1;
export const K_PHONE = 1 << 2;
export const K_SSN = 1 << 3;
export const K_DOB = 1 << 4;
export const K_PASSPORT = 1 << 5;
export const K_ADDRESS = 1 << 6;
export const K_SECRET = 1 << 7;
export const K_FREETEXT = 1 << 8; // notes, description … (anything may be pasted here)
export const K_NUMERIC = 1 << 9; // po, account, id, timestamp, cost-center … (long digit runs are expected)
export const K_VERSION = 1 << 10;
export const K_NETWORK = 1 << 11; // cidr, subnet … (addresses are networks)
export const K_HASH = 1 << 12; // commit, sha, checksum … (40-char tokens are digests)
export const K_CARD = 1 << 13;
export const K_GROUP = 1 << 14; // team, group, dl … (value names a group, not a person)
export const K_BANK = 1 << 15; // iban, bank, payout … (value may be a bank account)
export const K_LOGIN = 1 << 16; // ssh, bastion, repo, host … (user@host is a login target, not a mailbox)
export const K_IP = 1 << 17; // ip, eip, gateway, endpoint … (the value is meant to be an address, whatever else the key says)

const PERSON_WORDS = new Set([
  'owner', 'owners', 'approver', 'approvers', 'requester', 'requestor', 'creator', 'author', 'manager', 'lead',
  'sponsor', 'custodian', 'steward', 'assignee', 'reviewer', 'maintainer', 'responsible', 'employee', 'person',
  'fullname', 'username', 'contact', 'contacts', 'stakeholder', 'traveller', 'traveler', 'patient', 'applicant',
  'kin', 'oncall', 'escalation', 'poc', 'spoc', 'dri', 'accountable', 'engineer', 'developer', 'scientist',
  'analyst', 'researcher', 'guardian', 'beneficiary', 'customer', 'user', 'techlead', 'sme', 'contractor',
  'consultant', 'cardholder', 'holder', 'signatory', 'director', 'supervisor', 'delegate', 'deputy', 'champion',
]);
/** Verbs that make a person key with a following "by": requested-by, created-by … */
const BY_VERBS = new Set([
  'requested', 'created', 'approved', 'reviewed', 'submitted', 'modified', 'updated', 'launched', 'deployed',
  'provisioned', 'owned', 'managed', 'built', 'signed', 'authored', 'added', 'changed', 'edited', 'raised',
]);
const EMAIL_WORDS = new Set(['email', 'emails', 'mail', 'mailbox', 'notify', 'notification', 'notifications', 'alerts', 'dl', 'distribution']);
const PHONE_WORDS = new Set([
  'phone', 'phones', 'telephone', 'tel', 'telefon', 'telefono', 'mobile', 'mobil', 'cell', 'cellphone',
  'oncall', 'pager', 'sms', 'whatsapp', 'fax', 'hotline', 'bereitschaft', 'astreinte', 'contact', 'contacts',
  'escalation', 'emergency', 'voice', 'msisdn', 'landline', 'line', 'helpline',
]);
const SSN_WORDS = new Set(['ssn', 'ssns', 'social', 'tin', 'taxpayer', 'taxid', 'nationalid', 'sin']);
const DOB_WORDS = new Set(['dob', 'birth', 'birthday', 'birthdate', 'born', 'dateofbirth', 'geburtsdatum']);
const PASSPORT_WORDS = new Set(['passport', 'passports', 'mrz', 'reisepass', 'passeport', 'pasaporte']);
const ADDRESS_WORDS = new Set([
  'address', 'addresses', 'adresse', 'addr', 'anschrift', 'direccion', 'indirizzo', 'street', 'home', 'residence',
  'residential', 'postal', 'mailing', 'shipto', 'delivery', 'domicile', 'office', 'hq', 'headquarters', 'premises',
]);
/** Words that turn "address" into a technical field (ip-address, mac-address …). */
const ADDRESS_TECH = new Set([
  'ip', 'ipv4', 'ipv6', 'mac', 'email', 'mail', 'wallet', 'memory', 'family', 'space', 'type', 'bind', 'listen',
  'endpoint', 'server', 'host', 'dns', 'url', 'web', 'eip', 'elastic', 'private', 'public', 'field', 'nat', 'pool',
]);
const SECRET_WORDS = new Set(['secret', 'secrets', 'password', 'passwd', 'pwd', 'credential', 'credentials', 'creds', 'apikey', 'privatekey', 'secretkey', 'accesskey']);
const FREETEXT_WORDS = new Set([
  'notes', 'note', 'description', 'desc', 'comment', 'comments', 'remarks', 'remark', 'info', 'details', 'purpose',
  'memo', 'summary', 'reason', 'instructions', 'message', 'annotation', 'misc', 'other', 'todo',
]);
const NUMERIC_WORDS = new Set([
  'version', 'ver', 'build', 'release', 'revision', 'rev', 'po', 'purchase', 'order', 'invoice', 'account', 'accountid',
  'id', 'ids', 'uuid', 'guid', 'arn', 'timestamp', 'time', 'epoch', 'created', 'updated', 'modified', 'date', 'expiry',
  'expires', 'ts', 'cidr', 'subnet', 'vpc', 'network', 'range', 'hash', 'sha', 'commit', 'digest', 'checksum', 'etag',
  'job', 'run', 'execution', 'batch', 'sequence', 'seq', 'serial', 'ticket', 'jira', 'change', 'request', 'trace',
  'correlation', 'port', 'size', 'bytes', 'count', 'limit', 'quota', 'budget', 'amount', 'cost', 'price', 'code',
  'gl', 'ledger', 'wbs', 'sku', 'ami', 'image', 'snapshot', 'asset', 'ref', 'reference', 'sap', 'fiscal',
  'center', 'centre', 'costcenter', 'project', 'app', 'number', 'no', 'num', 'nr', 'transaction', 'internal',
  'row', 'rows', 'ms', 'millis', 'seconds', 'duration', 'ttl', 'retention', 'days', 'index', 'shard',
  'zip', 'zipcode', 'postcode', 'plz', 'ein', 'vat', 'duns', 'gtin', 'ean', 'upc', 'isbn', 'barcode', 'sku',
]);
const VERSION_WORDS = new Set([
  'version', 'ver', 'release', 'build', 'revision', 'rev', 'firmware', 'engine', 'runtime', 'sdk', 'semver', 'calver', 'tag',
  // software whose value is its version: "kernel" = "5.10.219.208", "python" = "3.10.12.1"
  'kernel', 'os', 'bios', 'driver', 'agent', 'python', 'java', 'jdk', 'jre', 'golang', 'ruby', 'php',
  'dotnet', 'cuda', 'cudnn', 'nccl', 'openssl', 'glibc', 'k8s', 'kubernetes', 'eks', 'helm', 'chart', 'terraform',
  'provider', 'plugin', 'pytorch', 'torch', 'tensorflow', 'jax', 'transformers', 'spark', 'framework', 'library',
  'lib', 'package', 'pkg', 'patch', 'hotfix',
]);
const NETWORK_WORDS = new Set(['cidr', 'subnet', 'network', 'range', 'netmask', 'mask', 'prefix', 'route', 'block', 'cidrs', 'supernet']);
const HASH_WORDS = new Set(['sha', 'sha1', 'sha256', 'hash', 'commit', 'digest', 'checksum', 'etag', 'fingerprint', 'md5', 'signature', 'revision', 'rev', 'git', 'gitsha', 'id', 'uuid']);
const CARD_WORDS = new Set(['card', 'cards', 'cc', 'pan', 'visa', 'mastercard', 'amex', 'creditcard']);
const BANK_WORDS = new Set(['iban', 'bank', 'banking', 'payout', 'payee', 'beneficiary', 'wire', 'swift', 'bic', 'reimbursement', 'refund', 'remittance', 'sepa']);
const IP_WORDS = new Set([
  'ip', 'ips', 'ipv4', 'ipv6', 'ipaddress', 'eip', 'addr', 'nat', 'gateway', 'gw', 'peer', 'endpoint', 'server',
  'host', 'hostname', 'dns', 'resolver', 'proxy', 'bastion', 'vip', 'listener',
]);
const LOGIN_WORDS = new Set([
  'ssh', 'scp', 'sftp', 'rsync', 'bastion', 'jumphost', 'jumpbox', 'jump', 'tunnel', 'remote', 'repo', 'repository',
  'clone', 'origin', 'upstream', 'host', 'hostname', 'login',
]);
const GROUP_WORDS = new Set(['team', 'teams', 'group', 'groups', 'squad', 'org', 'organization', 'organisation', 'department', 'dept', 'unit', 'bu', 'division', 'tribe', 'dl', 'channel', 'slack', 'queue', 'role', 'service', 'system', 'application', 'tool', 'email', 'mail']);

/** Splits a key into lower-case words: "OnCallMobile" → on, call, mobile; "requested-by" → requested, by. */
export function keyWords(key: string): string[] {
  const words: string[] = [];
  let cur = '';
  const flush = (): void => {
    if (cur !== '') words.push(cur.toLowerCase());
    cur = '';
  };
  for (let i = 0; i < key.length; i++) {
    const ch = key[i] as string;
    const c = key.charCodeAt(i);
    const isUpper = c >= 65 && c <= 90;
    const isLower = c >= 97 && c <= 122;
    const isDigit = c >= 48 && c <= 57;
    if (!isUpper && !isLower && !isDigit && c < 128) {
      flush();
      continue;
    }
    if (isUpper && cur !== '') {
      const prev = key.charCodeAt(i - 1);
      const prevLower = prev >= 97 && prev <= 122;
      const next = i + 1 < key.length ? key.charCodeAt(i + 1) : 0;
      const nextLower = next >= 97 && next <= 122;
      const prevUpper = prev >= 65 && prev <= 90;
      // camelCase boundary, or the end of an acronym ("IPAddress" → ip, address).
      if (prevLower || (prevUpper && nextLower)) flush();
    }
    cur += ch;
  }
  flush();
  return words;
}

export function classifyKey(key: string): number {
  const words = keyWords(key);
  // Also match unsplittable compounds ("dateofbirth", "oncall", "costcenter").
  const joined = words.join('');
  let f = 0;
  const has = (set: ReadonlySet<string>): boolean => words.some((w) => set.has(w)) || set.has(joined);
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const next = words[i + 1];
    if (BY_VERBS.has(w) && next === 'by') f |= K_PERSON;
    if (w === 'on' && next === 'call') f |= K_PHONE | K_PERSON;
    if ((w === 'social' && next === 'security') || (w === 'tax' && next === 'id') || (w === 'national' && next === 'id')) f |= K_SSN;
    if (w === 'date' && next === 'of' && words[i + 2] === 'birth') f |= K_DOB;
    if (w === 'next' && next === 'of') f |= K_PERSON;
    if ((w === 'ship' || w === 'send' || w === 'deliver') && next === 'to') f |= K_ADDRESS;
    if ((w === 'access' || w === 'secret' || w === 'api' || w === 'private') && next === 'key') f |= K_SECRET;
    if (w === 'e' && next === 'mail') f |= K_EMAIL;
    if ((w === 'first' || w === 'last' || w === 'full' || w === 'given' || w === 'family' || w === 'sur') && next === 'name') f |= K_PERSON;
    if (w === 'purchase' && next === 'order') f |= K_NUMERIC;
  }
  const byKey = words.includes('by') || [...BY_VERBS].some((v) => joined.endsWith(v + 'by'));
  // The last word names what the value is: "team-lead" is a person, "owner-team" a group.
  let lastPerson = -1;
  let lastGroup = -1;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (PERSON_WORDS.has(w) || w === 'by') lastPerson = i;
    if (GROUP_WORDS.has(w)) lastGroup = i;
  }
  if (byKey || has(PERSON_WORDS)) f |= K_PERSON;
  if (has(EMAIL_WORDS)) f |= K_EMAIL;
  if (has(PHONE_WORDS)) f |= K_PHONE;
  if (has(SSN_WORDS)) f |= K_SSN;
  if (has(DOB_WORDS)) f |= K_DOB;
  if (has(PASSPORT_WORDS)) f |= K_PASSPORT;
  if (has(ADDRESS_WORDS) && !words.some((w) => ADDRESS_TECH.has(w))) f |= K_ADDRESS;
  if (has(SECRET_WORDS) || ((words.includes('aws') || words.includes('access')) && words.includes('key'))) f |= K_SECRET;
  if (has(FREETEXT_WORDS)) f |= K_FREETEXT;
  if (has(VERSION_WORDS)) f |= K_VERSION;
  if (has(NETWORK_WORDS)) f |= K_NETWORK;
  if (has(HASH_WORDS)) f |= K_HASH;
  if (has(CARD_WORDS)) f |= K_CARD;
  if (has(GROUP_WORDS) && (lastGroup > lastPerson || lastGroup === -1)) f |= K_GROUP;
  if (has(LOGIN_WORDS)) f |= K_LOGIN;
  if (has(IP_WORDS)) f |= K_IP;
  if (has(BANK_WORDS)) f |= K_BANK;
  // "created-by", "requested-by": the verb is a person marker, not a timestamp or request id.
  if (!byKey && has(NUMERIC_WORDS) && (f & (K_PHONE | K_SSN | K_CARD | K_PASSPORT | K_DOB)) === 0) f |= K_NUMERIC;
  return f;
}
