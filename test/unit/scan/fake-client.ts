/** An SDK client stand-in: answers each command by its class name, records every call's input. */
export type Handler = (input: Record<string, unknown>) => unknown;

export interface FakeClient {
  send(command: unknown): Promise<never>;
  readonly calls: Array<{ command: string; input: Record<string, unknown> }>;
  count(command: string): number;
}

/** An error shaped like the SDK's: name/Code plus $metadata.httpStatusCode. */
export function sdkError(code: string, status: number, message = code): Error {
  const e = new Error(message) as Error & { $metadata: { httpStatusCode: number }; Code: string };
  e.name = code;
  e.Code = code;
  e.$metadata = { httpStatusCode: status };
  return e;
}

export function fakeClient(handlers: Record<string, Handler>): FakeClient {
  const calls: FakeClient['calls'] = [];
  return {
    calls,
    count: (command) => calls.filter((c) => c.command === command).length,
    async send(command: unknown) {
      const name = (command as { constructor: { name: string } }).constructor.name.replace(/Command$/, '');
      const input = ((command as { input?: Record<string, unknown> }).input ?? {}) as Record<string, unknown>;
      calls.push({ command: name, input });
      const handler = handlers[name];
      if (!handler) throw new Error(`fake client: no handler for ${name}`);
      const out = handler(input);
      if (out instanceof Error) throw out;
      return out as never;
    },
  };
}
