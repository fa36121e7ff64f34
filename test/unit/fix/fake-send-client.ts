import type { SendClient } from '../../../src/fix/aws-backend.js';

export interface Sent {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/** A fake SDK client: records each command by class name and input, answers with `reply` (an Error is thrown). */
export function fakeClient(reply: (s: Sent) => unknown): SendClient & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    async send(command: unknown) {
      const c = command as { constructor: { name: string }; input: Record<string, unknown> };
      const s = { name: c.constructor.name, input: c.input };
      sent.push(s);
      const out = reply(s);
      if (out instanceof Error) throw out;
      return out;
    },
  };
}
