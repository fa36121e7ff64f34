import { redactText } from './redact.js';

/**
 * Outside text quoted in a message: personal data masked first, then cut to at most `max` characters. In the other
 * order a cut e-mail address or card number is no longer recognised, yet what is left of it still says too much.
 */
export function maskedExcerpt(text: string, max: number): string {
  const chars = [...redactText(text)];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}
