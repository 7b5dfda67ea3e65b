import { ArrayMaxSize, IsArray } from 'class-validator';

/**
 * The console's "Save priorities": `{priorities: [{rule_id, priority}, ...]}` naming every rule
 * once. The entries are checked by the domain, which names the entry at fault.
 */
export class ReprioritizeRulesDto {
  @IsArray() @ArrayMaxSize(10_000) priorities!: unknown[];
}
