import urllib.parse


def lambda_handler(event, context):
    seen = []
    for record in event.get('Records', []):
        s3 = record['s3']
        bucket = s3['bucket']['name']
        key = urllib.parse.unquote_plus(s3['object']['key'], encoding='utf-8')
        size = s3['object'].get('size', 0)
        print('{} s3://{}/{} ({} bytes)'.format(record.get('eventName'), bucket, key, size))
        seen.append({'bucket': bucket, 'key': key, 'size': size})
    return {'objects': seen}
