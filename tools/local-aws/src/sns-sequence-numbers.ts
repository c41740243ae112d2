import type { LocalResponse } from './local-response.js';

/**
 * The first sequence number given out on a topic: the smallest 20-digit decimal number, so
 * every number has the 20 digits AWS's have (they fit in 128 bits, as AWS documents).
 */
const FIRST_SEQUENCE_NUMBER = 10_000_000_000_000_000_000n;

/**
 * Distance between two numbers given out one after the other on a topic. AWS's numbers are
 * not consecutive, so these are not either: code that expects `previous + 1` fails here too.
 */
const SEQUENCE_NUMBER_STRIDE = 65_536n;

/** Sends a request body to the emulator and returns its answer. */
export type SnsSend = (body: Buffer) => Promise<LocalResponse>;

/**
 * Whether a topic ARN names a FIFO topic (AWS requires FIFO topic names to end in `.fifo`).
 *
 * @param topicArn - The topic ARN.
 * @returns `true` for a FIFO topic.
 */
export function isFifoTopicArn(topicArn: string): boolean {
  return topicArn.endsWith('.fifo');
}

/**
 * Adds a `<SequenceNumber>` to every member of the `<Successful>` list of a PublishBatch
 * answer, in document order (the order the emulator published them in). A list that already
 * carries sequence numbers, an empty list and a document without the list are left as they are.
 *
 * @param xml - The PublishBatchResponse document.
 * @param next - Gives the next sequence number of the topic.
 * @returns The document with the numbers added.
 */
export function addSequenceNumbersToPublishBatchXml(xml: string, next: () => string): string {
  const open = xml.indexOf('<Successful>');
  if (open === -1) return xml;
  const start = open + '<Successful>'.length;
  const end = xml.indexOf('</Successful>', start);
  if (end === -1) return xml;
  const members = xml.slice(start, end);
  if (members.includes('<SequenceNumber>')) return xml;
  const numbered = members.replaceAll('</member>', () => `<SequenceNumber>${next()}</SequenceNumber></member>`);
  return xml.slice(0, start) + numbered + xml.slice(end);
}

/**
 * Adds a `<SequenceNumber>` after the `<MessageId>` of a Publish answer. A result that already
 * carries one, or a document without a `<PublishResult>`, is left as it is (and no number is used).
 *
 * @param xml - The PublishResponse document.
 * @param next - Gives the next sequence number of the topic.
 * @returns The document with the number added.
 */
export function addSequenceNumberToPublishXml(xml: string, next: () => string): string {
  const open = xml.indexOf('<PublishResult>');
  if (open === -1) return xml;
  const end = xml.indexOf('</PublishResult>', open);
  if (end === -1) return xml;
  const result = xml.slice(open, end);
  if (!result.includes('</MessageId>') || result.includes('<SequenceNumber>')) return xml;
  return `${xml.slice(0, end)}<SequenceNumber>${next()}</SequenceNumber>${xml.slice(end)}`;
}

function topicArnOf(body: Buffer): string | undefined {
  return new URLSearchParams(body.toString('utf8')).get('TopicArn') ?? undefined;
}

/**
 * Gives SNS `Publish` and `PublishBatch` answers for FIFO topics the `SequenceNumber` AWS
 * returns and fauxqs 1.9.2 leaves out: a 20-digit decimal string per published message,
 * strictly increasing per topic in the order the emulator published the messages.
 *
 * Requests to one FIFO topic reach the emulator one at a time, so the numbers follow the
 * order in which the messages were handed to subscribers even when requests overlap.
 */
export class SnsSequenceNumbers {
  readonly #last = new Map<string, bigint>();
  readonly #tails = new Map<string, Promise<unknown>>();

  /**
   * Gives out the next sequence number of a topic.
   *
   * @param topicArn - The topic ARN.
   * @returns The number, as AWS sends it (a decimal string).
   */
  next(topicArn: string): string {
    const previous = this.#last.get(topicArn);
    const value = previous === undefined ? FIRST_SEQUENCE_NUMBER : previous + SEQUENCE_NUMBER_STRIDE;
    this.#last.set(topicArn, value);
    return value.toString();
  }

  /**
   * Wraps the way an SNS request is sent to the emulator so that `Publish` and `PublishBatch`
   * answers (HTTP 200) for FIFO topics get sequence numbers. Other actions, standard topics and
   * requests without `TopicArn` (e.g. `Publish` with `TargetArn`) pass through unchanged.
   *
   * @param action - The SNS action of the request.
   * @param send - Sends a body to the emulator.
   * @returns A sender with the same contract.
   */
  wrap(action: string, send: SnsSend): SnsSend {
    if (action !== 'Publish' && action !== 'PublishBatch') return send;
    const addNumbers = action === 'Publish' ? addSequenceNumberToPublishXml : addSequenceNumbersToPublishBatchXml;
    return (body) => {
      const topicArn = topicArnOf(body);
      if (topicArn === undefined || !isFifoTopicArn(topicArn)) return send(body);
      return this.#oneAtATime(topicArn, async () => {
        const response = await send(body);
        if (response.statusCode !== 200) return response;
        const xml = response.body.toString('utf8');
        const numbered = addNumbers(xml, () => this.next(topicArn));
        return numbered === xml ? response : { ...response, body: Buffer.from(numbered, 'utf8') };
      });
    };
  }

  /** Runs `task` after every earlier task of the same topic has settled. */
  #oneAtATime<T>(topicArn: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(topicArn) ?? Promise.resolve();
    const run = previous.then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(topicArn, tail);
    void tail.then(() => {
      if (this.#tails.get(topicArn) === tail) this.#tails.delete(topicArn);
    });
    return run;
  }
}
