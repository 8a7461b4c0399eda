# A job for asynchronous invocation: the caller gets 202 at once and Lambda runs the job later.
# What the handler returns reaches the on-success destination in the invocation record's
# responsePayload; an exception is retried (twice by default) and then reaches on-failure.
import json


def process(value):
    if isinstance(value, str):
        return {'text': value.upper(), 'length': len(value)}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return {'number': value, 'squared': value * value}
    raise TypeError('cannot process {}'.format(json.dumps(value)))


def lambda_handler(event, context):
    if not isinstance(event, dict) or not event:
        raise ValueError('The job is empty: send a JSON object of strings and numbers.')
    results = {key: process(value) for key, value in event.items()}
    print('job {} processed {} value(s)'.format(context.aws_request_id, len(results)))
    return {'job': context.aws_request_id, 'results': results}
