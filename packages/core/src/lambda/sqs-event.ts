/**
 * System attributes SQS attaches to a message delivered to Lambda. Every value is a string,
 * as Lambda sends them. All are optional here so that hand-written test events stay short; a
 * real event always has the first four, and FIFO queues add the `MessageGroupId`,
 * `MessageDeduplicationId` and `SequenceNumber`.
 */
export interface SqsRecordAttributes {
  /** How many times the message has been received, including this time (`'1'` the first time). */
  ApproximateReceiveCount?: string;
  /** When the message was sent, in epoch milliseconds. */
  SentTimestamp?: string;
  /** The account or principal that sent the message. */
  SenderId?: string;
  /** When the message was first received, in epoch milliseconds. */
  ApproximateFirstReceiveTimestamp?: string;
  /** FIFO queues: the message group; messages of one group are delivered in order. */
  MessageGroupId?: string;
  /** FIFO queues: the token SQS used to drop duplicates within its 5-minute window. */
  MessageDeduplicationId?: string;
  /** FIFO queues: the large, increasing number SQS gave the message within its group. */
  SequenceNumber?: string;
  /** The X-Ray trace header, when tracing is active. */
  AWSTraceHeader?: string;
}

/**
 * One message attribute as Lambda delivers it (lower camel case, unlike the SQS API's
 * `StringValue`/`BinaryValue`).
 */
export interface SqsMessageAttribute {
  /** The value of a `String` or `Number` attribute. */
  stringValue?: string;
  /** The value of a `Binary` attribute, base64-encoded. */
  binaryValue?: string;
  /** Reserved by SQS; not used today. */
  stringListValues?: string[];
  /** Reserved by SQS; not used today. */
  binaryListValues?: string[];
  /** `'String'`, `'Number'` or `'Binary'`, optionally with a custom suffix (`'Number.int'`). */
  dataType: string;
}

/**
 * One SQS message in a Lambda event.
 *
 * A structural type: a `SQSRecord` from `@types/aws-lambda` can be passed wherever this is
 * expected, without Herald depending on that package. Only `messageId` and `body` are
 * required, so that test events can be written by hand.
 */
export interface SqsRecord {
  /** The SQS message id; the identifier a batch response reports a failure with. */
  messageId: string;
  /** The receipt handle of this delivery (changes with every receive). */
  receiptHandle?: string;
  /** The message body, exactly as sent. For an SNS subscription without raw delivery, the SNS envelope as JSON. */
  body: string;
  /** The message's system attributes. */
  attributes?: SqsRecordAttributes;
  /** The message's own attributes, by name. */
  messageAttributes?: Record<string, SqsMessageAttribute>;
  /** MD5 digest of the body, as hex. */
  md5OfBody?: string;
  /** Always `'aws:sqs'` in a real event. */
  eventSource?: string;
  /** The queue's ARN; it ends in `.fifo` for a FIFO queue. */
  eventSourceARN?: string;
  /** The queue's region, for example `'eu-west-1'`. */
  awsRegion?: string;
}

/** The event Lambda passes to a function with an SQS event source mapping. */
export interface SqsEvent {
  /** The messages of this batch, in the order SQS delivered them. */
  Records: SqsRecord[];
}

/** One message a batch handler could not process (or did not process), by message id. */
export interface SqsBatchItemFailure {
  /** The `messageId` of the record; Lambda returns that message to the queue. */
  itemIdentifier: string;
}

/**
 * The answer of a Lambda function for an SQS event when its event source mapping has
 * `FunctionResponseTypes: ['ReportBatchItemFailures']`: Lambda deletes every message of the
 * batch except those listed, which become visible again after their visibility timeout.
 * Without that setting, Lambda ignores this answer.
 */
export interface SqsBatchResponse {
  /** The messages to return to the queue; empty when the whole batch succeeded. */
  batchItemFailures: SqsBatchItemFailure[];
}
