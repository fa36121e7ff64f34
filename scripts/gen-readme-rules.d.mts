export declare const BEGIN: string;
export declare const END: string;
export declare function severityText(rule: { defaultSeverity: string; severityNote?: string }): string;
export declare function renderRulesTable(
  rules: readonly { id: string; description: string; defaultSeverity: string; severityNote?: string; fixable: boolean }[],
): string;
export declare function extractRulesTable(readme: string): string | undefined;
export declare function replaceRulesTable(readme: string, table: string): string;
