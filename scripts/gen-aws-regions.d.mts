export declare const GENERATED_PATH: string;
export interface SdkPartitionsInfo {
  readonly partitions: readonly { readonly id: string; readonly regionRegex: string; readonly regions: Readonly<Record<string, unknown>> }[];
}
export declare function sdkPartitionsInfo(): SdkPartitionsInfo;
export declare function generateRegionTableSource(info: SdkPartitionsInfo): string;
