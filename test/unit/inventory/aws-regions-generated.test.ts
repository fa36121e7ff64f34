import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_PATH, generateRegionTableSource, sdkPartitionsInfo } from '../../../scripts/gen-aws-regions.mjs';
import { AWS_PARTITIONS } from '../../../src/inventory/aws-regions.generated.js';
import { sdkPartitionLookup } from '../../../src/scan/partition-info.js';

describe('the AWS region table the inventory reader uses', () => {
  it('is the one the installed AWS SDK gives (regenerate: node scripts/gen-aws-regions.mjs)', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(generateRegionTableSource(sdkPartitionsInfo()));
  });

  it("names each region in the partition the SDK's own lookup (what --regions checks) puts it in", async () => {
    const lookup = (await sdkPartitionLookup())!;
    expect(lookup).toBeDefined();
    let regions = 0;
    for (const p of AWS_PARTITIONS) {
      expect(p.regions.length).toBeGreaterThan(0);
      for (const region of p.regions) {
        expect(lookup(region), region).toMatchObject({ name: p.id, description: expect.any(String) });
        regions++;
      }
    }
    expect(regions).toBeGreaterThan(30);
    expect(AWS_PARTITIONS.map((p) => p.id)).toEqual(expect.arrayContaining(['aws', 'aws-cn', 'aws-us-gov']));
  });
});
