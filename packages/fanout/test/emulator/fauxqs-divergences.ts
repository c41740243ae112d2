import { readFileSync } from 'node:fs';
import {
  snsAcceptedPolicyCases,
  snsInvalidPolicyCases,
  snsMatchCases,
  type SnsMatchCase,
} from './sns-conformance-data.js';

/**
 * What happened to one conformance entry: for a match case, whether the message reached the
 * subscribed queue (or the subscription itself was refused); for a policy entry, whether SNS
 * accepted the policy.
 */
export type Outcome = 'delivered' | 'not delivered' | 'accepted' | 'refused';

/** The conformance file an entry comes from. */
export type ConformanceFile = 'sns-filter-cases.json' | 'sns-filter-invalid.json' | 'sns-filter-accepted.json';

/** A kind of divergence, described once for people (one section of docs/emulator-divergences.md). */
export interface DivergenceGroup {
  /** Section title: the operator or feature. */
  readonly name: string;
  /** What AWS does. */
  readonly aws: string;
  /** What fauxqs 1.9.2 does instead. */
  readonly fauxqs: string;
  /** What not to trust the emulator for. */
  readonly consequence: string;
}

/** One conformance entry where fauxqs's answer differs from AWS's. */
export interface Divergence {
  /** The entry's id. */
  readonly id: string;
  /** The file the entry is in. */
  readonly file: ConformanceFile;
  /** The {@link DivergenceGroup.name} it belongs to. */
  readonly group: string;
  /** AWS's answer (recorded or documented). */
  readonly aws: Outcome;
  /** fauxqs 1.9.2's answer, as observed by the emulator test. */
  readonly fauxqs: Outcome;
  /** What else is special about this entry (shown beside its id). */
  readonly note?: string;
}

/** The contents of `fauxqs-divergences.json`. */
export interface DivergenceList {
  /** The emulator and version the list is true for. */
  readonly emulator: string;
  /** The kinds of divergence, in the order the document shows them. */
  readonly groups: readonly DivergenceGroup[];
  /** Every known divergence. */
  readonly divergences: readonly Divergence[];
}

/** The known divergences of fauxqs 1.9.2 from AWS. */
export const divergenceList: DivergenceList = JSON.parse(
  readFileSync(new URL('./fauxqs-divergences.json', import.meta.url), 'utf8'),
) as DivergenceList;

/** A conformance entry together with AWS's answer for it. */
export interface ConformanceEntry {
  /** The entry's id. */
  readonly id: string;
  /** Its file. */
  readonly file: ConformanceFile;
  /** Its scope. */
  readonly scope: string;
  /** The policy, as text. */
  readonly policy: string;
  /** The message (match cases only), as text. */
  readonly message: string | undefined;
  /** AWS's answer. */
  readonly aws: Outcome;
}

function messageText(entry: SnsMatchCase): string {
  if (entry.scope === 'MessageBody') return entry.body_raw ?? JSON.stringify(entry.body);
  return JSON.stringify(entry.attributes ?? {});
}

/** Every SNS conformance entry, by id (ids are unique across the three files). */
export const conformanceEntries: ReadonlyMap<string, ConformanceEntry> = new Map<string, ConformanceEntry>([
  ...snsMatchCases.map((c): [string, ConformanceEntry] => [
    c.id,
    {
      id: c.id,
      file: 'sns-filter-cases.json',
      scope: c.scope,
      policy: c.policy_raw ?? JSON.stringify(c.policy),
      message: messageText(c),
      aws: c.expected ? 'delivered' : 'not delivered',
    },
  ]),
  ...snsInvalidPolicyCases.map((c): [string, ConformanceEntry] => [
    c.id,
    {
      id: c.id,
      file: 'sns-filter-invalid.json',
      scope: c.scope,
      policy: c.policy_raw ?? JSON.stringify(c.policy),
      message: undefined,
      aws: 'refused',
    },
  ]),
  ...snsAcceptedPolicyCases.map((c): [string, ConformanceEntry] => [
    c.id,
    {
      id: c.id,
      file: 'sns-filter-accepted.json',
      scope: c.scope,
      policy: c.policy_raw ?? JSON.stringify(c.policy),
      message: undefined,
      aws: 'accepted',
    },
  ]),
]);

/** Where the document's generated part starts and ends. */
export const GENERATED_START = '<!-- generated from packages/fanout/test/emulator/fauxqs-divergences.json: start -->';
/** See {@link GENERATED_START}. */
export const GENERATED_END = '<!-- generated from packages/fanout/test/emulator/fauxqs-divergences.json: end -->';

const MAX_CELL = 110;

function cell(text: string): string {
  const short = text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
  // Inline code in a table cell: pipes must be escaped, backticks cannot occur in the data.
  return `\`${short.replace(/\|/g, '\\|')}\``;
}

/**
 * Renders the generated part of docs/emulator-divergences.md: one section per group, with its
 * prose and a table of the entries (policy and message shown from the conformance data).
 *
 * @param list - The divergence list.
 * @returns Markdown, between {@link GENERATED_START} and {@link GENERATED_END}.
 */
export function renderDivergenceSections(list: DivergenceList): string {
  const lines: string[] = [GENERATED_START, ''];
  const total = list.divergences.length;
  lines.push(`${total} of the ${conformanceEntries.size} SNS conformance entries diverge under ${list.emulator}.`, '');
  for (const group of list.groups) {
    const members = list.divergences.filter((d) => d.group === group.name);
    lines.push(`### ${group.name}`, '');
    lines.push(`- **AWS:** ${group.aws}`);
    lines.push(`- **${list.emulator}:** ${group.fauxqs}`);
    lines.push(`- **Consequence:** ${group.consequence}`, '');
    const withMessage = members.some((d) => conformanceEntries.get(d.id)?.message !== undefined);
    lines.push(
      withMessage
        ? '| case | scope | policy | message | AWS | fauxqs |'
        : '| case | scope | policy | AWS | fauxqs |',
      withMessage ? '|---|---|---|---|---|---|' : '|---|---|---|---|---|',
    );
    for (const d of members) {
      const entry = conformanceEntries.get(d.id);
      const id = d.note === undefined ? d.id : `${d.id} (${d.note})`;
      const policy = entry ? cell(entry.policy) : '?';
      const scope = entry?.scope ?? '?';
      const message = entry?.message === undefined ? '' : cell(entry.message);
      lines.push(
        withMessage
          ? `| ${id} | ${scope} | ${policy} | ${message} | ${d.aws} | ${d.fauxqs} |`
          : `| ${id} | ${scope} | ${policy} | ${d.aws} | ${d.fauxqs} |`,
      );
    }
    lines.push('');
  }
  lines.push(GENERATED_END);
  return lines.join('\n');
}

/** Path of the document, from the repository root. */
export const DIVERGENCE_DOC = new URL('../../../../docs/emulator-divergences.md', import.meta.url);
