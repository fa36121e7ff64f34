import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createClientFactory } from '../../../src/scan/clients.js';
import { listAutoScalingGroups } from '../../../src/scan/sources/autoscaling.js';

const ACCOUNT = '111122223333';
const ARN = `arn:aws:autoscaling:eu-west-1:${ACCOUNT}:autoScalingGroup:0f1e2d3c-aaaa-bbbb-cccc-000000000000:autoScalingGroupName/web`;

/** Answers STS GetCallerIdentity and Auto Scaling DescribeAutoScalingGroups (query protocol, XML), records each body. */
function awsStandIn(bodies: string[]): Server {
  return createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      const action = new URLSearchParams(body).get('Action');
      res.writeHead(200, { 'content-type': 'text/xml' });
      if (action === 'GetCallerIdentity')
        return res.end(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/me</Arn>` +
            `<UserId>AIDA</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        );
      res.end(
        `<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups><member>` +
          `<AutoScalingGroupName>web</AutoScalingGroupName><AutoScalingGroupARN>${ARN}</AutoScalingGroupARN><MinSize>0</MinSize><MaxSize>1</MaxSize>` +
          `<DesiredCapacity>0</DesiredCapacity><DefaultCooldown>300</DefaultCooldown><HealthCheckType>EC2</HealthCheckType>` +
          `<CreatedTime>2024-05-01T10:00:00.000Z</CreatedTime><AvailabilityZones><member>eu-west-1a</member></AvailabilityZones>` +
          `<Tags><member><ResourceId>web</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>team</Key><Value>web</Value>` +
          `<PropagateAtLaunch>true</PropagateAtLaunch></member></Tags></member></AutoScalingGroups></DescribeAutoScalingGroupsResult>` +
          `<ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>`,
      );
    });
  });
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('the client factory’s Auto Scaling client', () => {
  it('honours AWS_ENDPOINT_URL_AUTO_SCALING, and its answer parses into groups with tags', async () => {
    const bodies: string[] = [];
    server = awsStandIn(bodies);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const factory = createClientFactory({
      env: {
        // Nothing listens here: a client using the generic setting instead of its own would fail.
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_ENDPOINT_URL_STS: endpoint,
        AWS_ENDPOINT_URL_AUTO_SCALING: endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'eu-west-1',
      },
      maxAttempts: 1,
    });
    try {
      const groups = await listAutoScalingGroups({ client: await factory.autoscaling(ACCOUNT, 'eu-west-1'), retryPauseMs: 0 });
      expect(groups).toEqual([{ arn: ARN, resourceType: 'autoscaling:autoScalingGroup', tags: { team: 'web' }, createdAt: '2024-05-01T10:00:00.000Z' }]);
      const request = new URLSearchParams(bodies.find((b) => b.includes('DescribeAutoScalingGroups')));
      expect(Object.fromEntries(request)).toMatchObject({ Action: 'DescribeAutoScalingGroups', MaxRecords: '100', IncludeInstances: 'false' });
      expect(factory.apiCalls()).toMatchObject({ DescribeAutoScalingGroups: 1 });
    } finally {
      factory.destroy();
    }
  });
});
