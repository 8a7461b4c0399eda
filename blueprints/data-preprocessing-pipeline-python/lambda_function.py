"""Data preprocessing pipeline: an S3 object in, clean and rejected records out.

Each CSV (with a header row), JSON (an array of objects) or JSON Lines file written to the input
bucket is read, and every record is checked against SCHEMA: field names are normalised, text is
trimmed, numbers and dates are parsed. Clean records go to clean/<file>.jsonl in the bucket named
by OUTPUT_BUCKET; rejected ones go to rejected/<file>.jsonl with the reason. Runs unchanged on
AWS Lambda: locally AWS_ENDPOINT_URL_S3 points boto3 at the folder buckets, there it is unset.
"""
import csv
import datetime
import io
import json
import os
import re
import urllib.parse

import boto3

s3 = boto3.client('s3')

EMAIL = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')


def text(value):
    if value is None or str(value).strip() == '':
        raise ValueError('is empty')
    return str(value).strip()


def email(value):
    value = text(value).lower()
    if not EMAIL.match(value):
        raise ValueError('is not an email address: {!r}'.format(value))
    return value


# 1234.5, 1,234.50 (thousands separated by commas); not 12,50 or 1_000, nan or inf.
NUMBER = re.compile(r'^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$')


def amount(value):
    text_value = str(value).strip()
    if not NUMBER.match(text_value):
        raise ValueError('is not a number: {!r}'.format(value))
    number = round(float(text_value.replace(',', '')), 2)
    if number < 0:
        raise ValueError('is negative: {}'.format(number))
    return number


def date(value):
    value = text(value)
    for form in ('%Y-%m-%d', '%d/%m/%Y', '%Y/%m/%d'):
        try:
            return datetime.datetime.strptime(value, form).date().isoformat()
        except ValueError:
            pass
    raise ValueError('is not a date (YYYY-MM-DD, DD/MM/YYYY or YYYY/MM/DD): {!r}'.format(value))


# Field -> how it is cleaned. A missing or unparsable field rejects the record.
SCHEMA = {'id': text, 'email': email, 'amount': amount, 'date': date}


# Other names the fields arrive under, once normalised ("E-mail" is e_mail).
ALIASES = {'e_mail': 'email', 'email_address': 'email', 'order_id': 'id', 'total': 'amount',
           'order_date': 'date'}


def normalised_name(name):
    name = re.sub(r'[^a-z0-9]+', '_', str(name).strip().lower()).strip('_')
    return ALIASES.get(name, name)


def clean(record):
    if not isinstance(record, dict):
        raise ValueError('is not an object with named fields')
    fields = {normalised_name(k): v for k, v in record.items()}
    cleaned = {}
    for field, parse in SCHEMA.items():
        if field not in fields:
            raise ValueError('{} is missing'.format(field))
        try:
            cleaned[field] = parse(fields[field])
        except ValueError as error:
            raise ValueError('{} {}'.format(field, error)) from None
    return cleaned


def records(key, body):
    """(number, record) pairs: a CSV row by its line in the file (the header is line 1), a JSON
    record by its place; one that cannot be read yields its error instead."""
    if key.lower().endswith('.csv'):
        reader = csv.DictReader(io.StringIO(body))
        for row in reader:
            extra = row.pop(None, [])  # DictReader's place for fields past the header's
            count = sum(value is not None for value in row.values()) + len(extra)
            if count != len(reader.fieldnames):
                yield reader.line_num, ValueError('has {} fields, the header has {}'.format(
                    count, len(reader.fieldnames)))
            else:
                yield reader.line_num, row
    elif key.lower().endswith('.jsonl'):
        # Lines end at \n only: JSON strings may hold other line separators (U+2028).
        for number, line in enumerate(body.split('\n'), 1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as error:
                    yield number, ValueError('is not JSON: {}'.format(error.msg))
    else:
        document = json.loads(body)
        for number, item in enumerate(document if isinstance(document, list) else [document], 1):
            yield number, item


def jsonl(items):
    return ''.join(json.dumps(item, sort_keys=True) + '\n' for item in items).encode('utf-8')


def process(bucket, key, output):
    raw = s3.get_object(Bucket=bucket, Key=key)['Body'].read()
    good, bad = [], []
    try:
        body = raw.decode('utf-8-sig')
        for line, record in records(key, body):
            try:
                if isinstance(record, Exception):
                    raise record
                good.append(clean(record))
            except ValueError as error:
                bad.append({'source': key, 'line': line, 'record': record if not isinstance(
                    record, Exception) else None, 'reason': 'Record {} {}'.format(line, error)})
    except (ValueError, csv.Error) as error:  # the file as a whole cannot be read (not UTF-8)
        bad.append({'source': key, 'line': None, 'record': None,
                    'reason': 'The file is not valid {}: {}'.format(key.rsplit('.', 1)[-1], error)})
    stem = key  # orders.csv -> clean/orders.csv.jsonl: a CSV and a JSON file of one name differ
    s3.put_object(Bucket=output, Key='clean/{}.jsonl'.format(stem), Body=jsonl(good),
                  ContentType='application/x-ndjson')
    s3.put_object(Bucket=output, Key='rejected/{}.jsonl'.format(stem), Body=jsonl(bad),
                  ContentType='application/x-ndjson')
    print('s3://{}/{}: {} clean, {} rejected'.format(bucket, key, len(good), len(bad)))
    for rejected in bad:
        print('  rejected: ' + rejected['reason'])
    return {'source': 's3://{}/{}'.format(bucket, key), 'clean': len(good), 'rejected': len(bad),
            'output': 's3://{}/clean/{}.jsonl'.format(output, stem)}


def lambda_handler(event, context):
    output = os.environ.get('OUTPUT_BUCKET')
    results = []
    for record in event.get('Records', []):
        bucket = record['s3']['bucket']['name']
        key = urllib.parse.unquote_plus(record['s3']['object']['key'], encoding='utf-8')
        if not key.lower().endswith(('.csv', '.json', '.jsonl')):
            print('s3://{}/{}: skipped, not .csv, .json or .jsonl'.format(bucket, key))
            continue
        if bucket == output and key.startswith(('clean/', 'rejected/')):
            print('s3://{}/{}: skipped, written by this pipeline'.format(bucket, key))
            continue
        if not output:
            raise RuntimeError('Set the environment variable OUTPUT_BUCKET to the bucket that '
                               'clean and rejected records are written to.')
        results.append(process(bucket, key, output))
    return {'files': results}
