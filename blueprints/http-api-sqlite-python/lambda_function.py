# A REST API over a SQLite file in /tmp, served from a Function URL (payload format 2.0):
#   GET /items, POST /items {"name": ...}, GET /items/{id}, DELETE /items/{id}
# /tmp lives as long as the execution environment: a warm function keeps its items, a cold start
# begins empty. Keep lasting data in a database service when the function moves to AWS.
import base64
import json
import re
import sqlite3

DATABASE = '/tmp/items.db'


def connect():
    connection = sqlite3.connect(DATABASE)
    connection.row_factory = sqlite3.Row
    connection.execute('CREATE TABLE IF NOT EXISTS items ('
                       'id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, '
                       "created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))")
    return connection


def respond(status, body=None, headers=None):
    response = {'statusCode': status, 'headers': {'Content-Type': 'application/json', **(headers or {})}}
    if body is not None:
        response['body'] = json.dumps(body)
    return response


def create_item(connection, event):
    body = event.get('body') or '{}'
    try:
        # A Function URL base64-encodes a body it does not take for text (curl -d sends a form).
        if event.get('isBase64Encoded'):
            body = base64.b64decode(body).decode('utf-8')
        payload = json.loads(body)
    except ValueError:  # bad base64, not UTF-8, not JSON
        return respond(400, {'message': 'The body is not JSON.'})
    name = payload.get('name') if isinstance(payload, dict) else None
    if not isinstance(name, str) or not name.strip():
        return respond(400, {'message': 'An item needs a "name" string.'})
    with connection:
        cursor = connection.execute('INSERT INTO items (name) VALUES (?)', (name.strip(),))
    row = connection.execute('SELECT * FROM items WHERE id = ?', (cursor.lastrowid,)).fetchone()
    return respond(201, dict(row))


def lambda_handler(event, context):
    http = event.get('requestContext', {}).get('http', {})
    method = http.get('method', 'GET')
    parts = [part for part in event.get('rawPath', '/').split('/') if part]
    if not parts or parts[0] != 'items' or len(parts) > 2:
        return respond(404, {'message': 'Not found. Try GET /items.'})
    connection = connect()
    try:
        if len(parts) == 1 and method == 'GET':
            rows = connection.execute('SELECT * FROM items ORDER BY id').fetchall()
            return respond(200, {'items': [dict(row) for row in rows]})
        if len(parts) == 1 and method == 'POST':
            return create_item(connection, event)
        if len(parts) == 2 and not re.fullmatch(r'[0-9]+', parts[1]):
            return respond(400, {'message': 'An item id is a number.'})
        if len(parts) == 2 and len(parts[1]) > 18:  # beyond SQLite's integers: no such item
            return respond(404, {'message': 'No such item.'})
        if len(parts) == 2 and method == 'GET':
            row = connection.execute('SELECT * FROM items WHERE id = ?', (int(parts[1]),)).fetchone()
            return respond(200, dict(row)) if row else respond(404, {'message': 'No such item.'})
        if len(parts) == 2 and method == 'DELETE':
            with connection:
                deleted = connection.execute('DELETE FROM items WHERE id = ?', (int(parts[1]),))
            return respond(204) if deleted.rowcount else respond(404, {'message': 'No such item.'})
        allowed = 'GET, POST' if len(parts) == 1 else 'GET, DELETE'
        return respond(405, {'message': 'Method {} is not allowed here.'.format(method)},
                       {'Allow': allowed})
    finally:
        connection.close()
