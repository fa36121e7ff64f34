export declare const SCHEMA_PATH: string;
export declare const GENERATED_PATH: string;
export declare function generateValidatorSource(schemaText: string): string;
