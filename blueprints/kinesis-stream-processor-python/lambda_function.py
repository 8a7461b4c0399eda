# Processes a Kinesis batch: each record's data is base64, holding JSON or plain text.
# A record that can never be read (not base64, not UTF-8) is logged and skipped: reporting it would
# make Lambda retry the shard from it until the record expires. (To keep such records instead,
# give the mapping MaximumRetryAttempts and an on-failure destination, and report them.) A record whose processing fails
# for a reason that may pass is reported by its sequence number, so with ReportBatchItemFailures
# Lambda retries the batch from that record on instead of all of it.
import base64
import binascii
import json


class RetryLater(Exception):
    """Processing failed for a reason that may pass (a busy downstream service)."""


def decode(record):
    text = base64.b64decode(record['kinesis']['data'], validate=True).decode('utf-8')
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def process(kinesis, payload):
    print('partition {} sequence {}: {}'.format(kinesis.get('partitionKey'),
                                               kinesis.get('sequenceNumber'), json.dumps(payload)))


def lambda_handler(event, context):
    failures = []
    processed = skipped = 0
    for record in event.get('Records', []):
        kinesis = record.get('kinesis', {})
        try:
            payload = decode(record)
        except (KeyError, binascii.Error, UnicodeDecodeError) as error:
            print('record {} skipped, it cannot be read: {}'.format(kinesis.get('sequenceNumber'), error))
            skipped += 1
            continue
        try:
            process(kinesis, payload)
            processed += 1
        except RetryLater as error:
            print('record {} failed, retried: {}'.format(kinesis.get('sequenceNumber'), error))
            failures.append({'itemIdentifier': kinesis['sequenceNumber']})
            break  # Lambda retries from the first failure: the records after it come again
    print('processed {}, skipped {}, failed {}'.format(processed, skipped, len(failures)))
    return {'batchItemFailures': failures}
