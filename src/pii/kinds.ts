export type PiiKind =
  | 'email'
  | 'phone'
  | 'ssn'
  | 'credit-card'
  | 'iban'
  | 'ip-address'
  | 'aws-access-key'
  | 'aws-secret-key'
  | 'person-name'
  | 'date-of-birth'
  | 'street-address'
  | 'passport';

export const PII_KINDS: readonly PiiKind[] = Object.freeze([
  'email',
  'phone',
  'ssn',
  'credit-card',
  'iban',
  'ip-address',
  'aws-access-key',
  'aws-secret-key',
  'person-name',
  'date-of-birth',
  'street-address',
  'passport',
] as const);

export function isPiiKind(s: string): s is PiiKind {
  return (PII_KINDS as readonly string[]).includes(s);
}

/** Human label for messages and reports. */
export const PII_KIND_LABEL: Readonly<Record<PiiKind, string>> = {
  email: 'e-mail address',
  phone: 'phone number',
  ssn: 'US social security number',
  'credit-card': 'payment card number',
  iban: 'IBAN',
  'ip-address': 'host IP address',
  'aws-access-key': 'AWS access key id',
  'aws-secret-key': 'AWS secret access key',
  'person-name': 'person name',
  'date-of-birth': 'date of birth',
  'street-address': 'street address',
  passport: 'passport number',
};
