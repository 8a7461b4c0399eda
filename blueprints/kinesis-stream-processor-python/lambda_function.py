# Processes a Kinesis batch: each record's data is base64, holding JSON or plain text. A record
# that cannot be decoded is reported by its sequence number, so with ReportBatchItemFailures
# Lambda retries the batch from that record on instead of all of it.
import base64
import binascii
import json


def decode(record):
    raw = base64.b64decode(record['kinesis']['data'], validate=True)
    text = raw.decode('utf-8')
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def lambda_handler(event, context):
    failures = []
    processed = 0
    for record in event.get('Records', []):
        kinesis = record.get('kinesis', {})
        try:
            payload = decode(record)
        except (KeyError, binascii.Error, UnicodeDecodeError) as error:
            print('record {} failed: {}'.format(kinesis.get('sequenceNumber'), error))
            failures.append({'itemIdentifier': kinesis.get('sequenceNumber', '')})
            continue
        processed += 1
        print('partition {} sequence {}: {}'.format(kinesis.get('partitionKey'),
                                                   kinesis.get('sequenceNumber'),
                                                   json.dumps(payload)))
    print('processed {} record(s), {} failed'.format(processed, len(failures)))
    return {'batchItemFailures': failures}
