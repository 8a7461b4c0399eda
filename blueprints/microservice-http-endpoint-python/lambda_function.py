import base64
import json


def respond(status, body):
    return {
        'statusCode': status,
        'headers': {'Content-Type': 'application/json'},
        'body': json.dumps(body),
    }


def lambda_handler(event, context):
    http = event.get('requestContext', {}).get('http', {})
    method = http.get('method', event.get('httpMethod', 'GET'))
    path = http.get('path', event.get('path', '/'))
    body = event.get('body') or ''
    if event.get('isBase64Encoded') and body:
        body = base64.b64decode(body).decode('utf-8', 'replace')

    if method == 'GET':
        return respond(200, {'path': path, 'query': event.get('queryStringParameters') or {}})
    if method in ('POST', 'PUT'):
        try:
            return respond(200, {'path': path, 'received': json.loads(body) if body else None})
        except ValueError:
            return respond(400, {'message': 'body is not valid JSON'})
    return respond(405, {'message': 'Unsupported method "{}"'.format(method)})
