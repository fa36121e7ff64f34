import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClientFactory } from '../../../src/scan/clients.js';
import { scanIam, type IamItem } from '../../../src/scan/sources/iam.js';

const ACCOUNT = '111122223333';
const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

/**
 * Answers STS GetCallerIdentity and IAM (query protocol, XML): one user with a tag, no roles, through
 * GetAccountAuthorizationDetails (or, with `denyBulk`, AccessDenied there and the lists).
 */
function awsStandIn(requests: Array<{ host: string; action: string | null }>, denyBulk = false): Server {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      const action = new URLSearchParams(body).get('Action');
      requests.push({ host: req.headers.host ?? '', action });
      res.setHeader('content-type', 'text/xml');
      const meta = '<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>';
      const wrap = (inner: string) => `<${action}Response xmlns="${NS}"><${action}Result>${inner}</${action}Result>${meta}</${action}Response>`;
      if (action === 'GetCallerIdentity')
        return res.end(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/me</Arn>` +
            `<UserId>AIDA</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult>${meta}</GetCallerIdentityResponse>`,
        );
      if (action === 'GetAccountAuthorizationDetails') {
        if (denyBulk) {
          res.statusCode = 403;
          return res.end(`<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>denied</Message></Error><RequestId>1</RequestId></ErrorResponse>`);
        }
        return res.end(
          wrap(
            `<IsTruncated>false</IsTruncated><UserDetailList><member><Path>/</Path><UserName>alice</UserName><UserId>AIDA1</UserId>` +
              `<Arn>arn:aws:iam::${ACCOUNT}:user/alice</Arn><CreateDate>2024-05-01T10:00:00Z</CreateDate>` +
              `<Tags><member><Key>team</Key><Value>web</Value></member></Tags></member></UserDetailList><RoleDetailList/><GroupDetailList/><Policies/>`,
          ),
        );
      }
      if (action === 'ListUsers')
        return res.end(
          wrap(
            `<IsTruncated>false</IsTruncated><Users><member><Path>/</Path><UserName>alice</UserName><UserId>AIDA1</UserId>` +
              `<Arn>arn:aws:iam::${ACCOUNT}:user/alice</Arn><CreateDate>2024-05-01T10:00:00Z</CreateDate></member></Users>`,
          ),
        );
      if (action === 'ListRoles') return res.end(wrap('<IsTruncated>false</IsTruncated><Roles/>'));
      res.end(wrap('<IsTruncated>false</IsTruncated><Tags><member><Key>team</Key><Value>web</Value></member></Tags>'));
    });
  });
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('the client factory’s IAM client', () => {
  it.each([
    ['GetAccountAuthorizationDetails', false, { GetAccountAuthorizationDetails: 1 }],
    ['the lists when that is denied', true, { GetAccountAuthorizationDetails: 1, ListUsers: 1, ListRoles: 1, ListUserTags: 1 }],
  ] as const)('honours AWS_ENDPOINT_URL_IAM, parses the answers of %s, and counts every call', async (_, denyBulk, counted) => {
    const requests: Array<{ host: string; action: string | null }> = [];
    server = awsStandIn(requests, denyBulk);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const factory = createClientFactory({
      env: {
        // Nothing listens here: a client using the generic setting instead of its own would fail.
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_ENDPOINT_URL_STS: endpoint,
        AWS_ENDPOINT_URL_IAM: endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'eu-west-1',
      },
      maxAttempts: 1,
    });
    try {
      const items: IamItem[] = [];
      const client = await factory.iam(ACCOUNT, 'us-east-1');
      expect(await client.config.region()).toBe('us-east-1');
      await scanIam({ client, retryPauseMs: 0, onItem: async (i) => void items.push(i) });
      expect(items).toEqual([{ arn: `arn:aws:iam::${ACCOUNT}:user/alice`, resourceType: 'iam:user', tags: { team: 'web' }, createdAt: '2024-05-01T10:00:00.000Z' }]);
      expect(factory.apiCalls()).toEqual({ GetCallerIdentity: expect.any(Number), ...counted });
      // The same account and region reuse one client.
      expect(await factory.iam(ACCOUNT, 'us-east-1')).toBe(client);
    } finally {
      factory.destroy();
    }
  });
});
