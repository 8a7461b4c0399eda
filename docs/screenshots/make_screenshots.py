#!/usr/bin/env python3
"""Regenerates the README screenshots (docs/screenshots/*.png).

A scratch data dir gets a few functions and a few hundred invocations through the app's own
Lambda REST API (the app is the server, as when a user runs the CLI against it), then the app
renders each screen with --screenshot. Usage: make_screenshots.py [path/to/lambdesk]

guest-image-build.png starts the app with --sandbox microvm on an empty cache, so it begins the
real guest image build (packaging/guest/build-image.sh, here only its first second: the app
cancels it on exit and the script's traps remove the partial work).
"""
import base64
import io
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
APP = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'build', 'app', 'lambdesk')

RESIZER = '''import json
import random
import time


def lambda_handler(event, context):
    # Simulates resizing: a little work, sometimes slower, and a failure on request.
    if event.get('fail'):
        raise ValueError('cannot decode image: ' + str(event.get('key')))
    time.sleep(random.uniform(0.005, 0.03) if random.random() > 0.1 else 0.08)
    print('resized', event.get('key', 'photo.jpg'))
    return {'statusCode': 200, 'body': json.dumps({'resized': event.get('key', 'photo.jpg'), 'width': 640})}
'''
ORDERS = '''export const handler = async (event) => {
  console.log('order received', JSON.stringify(event));
  return { statusCode: 201, body: JSON.stringify({ orderId: Date.now().toString(36) }) };
};
'''
CLEANUP = '''def lambda_handler(event, context):
    print('cleaning thumbnails older than 30 days')
    return {'deleted': 0}
'''


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return base64.b64encode(buffer.getvalue()).decode()


# The app's API takes any access key by default, but every request must carry a SigV4 header.
ANY_KEY_AUTHORIZATION = ('AWS4-HMAC-SHA256 Credential=AKIDSCREENSHOTS/20260101/us-east-1/lambda/aws4_request, '
                         'SignedHeaders=host;x-amz-date, Signature=' + '0' * 64)


class Api:
    def __init__(self, port):
        self.root = 'http://127.0.0.1:%d' % port

    def call(self, method, path, body=None, version='2015-03-31'):
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        request = urllib.request.Request('%s/%s%s' % (self.root, version, path), data=data, method=method,
                                         headers={'Authorization': ANY_KEY_AUTHORIZATION})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def create(self, name, runtime, handler, files, **extra):
        body = {'FunctionName': name, 'Runtime': runtime, 'Handler': handler,
                'Role': 'arn:aws:iam::000000000000:role/lambdesk', 'Code': {'ZipFile': zipped(files)}}
        body.update(extra)
        status, text = self.call('POST', '/functions', body)
        assert status == 201, (status, text)

    def invoke(self, name, payload):
        return self.call('POST', '/functions/%s/invocations' % name, json.dumps(payload).encode())[0]


def publish_layer(api, name, files, **extra):
    body = {'Content': {'ZipFile': zipped(files)}}
    body.update(extra)
    status, text = api.call('POST', '/layers/%s/versions' % name, body, version='2018-10-31')
    assert status == 201, (status, text)
    return json.loads(text)['LayerVersionArn']


def populate(api):
    publish_layer(api, 'pillow', {'python/PIL/__init__.py': '# stand-in\n'}, Description='Imaging library, first build',
                  CompatibleRuntimes=['python3.11'], CompatibleArchitectures=['x86_64'], LicenseInfo='HPND')
    pillow = publish_layer(api, 'pillow', {'python/PIL/__init__.py': '# stand-in\n', 'python/PIL/Image.py': ''},
                           Description='Imaging library', CompatibleRuntimes=['python3.11', 'python3.12'],
                           CompatibleArchitectures=['x86_64', 'arm64'], LicenseInfo='HPND')
    common = publish_layer(api, 'photo-common', {'python/photo_common.py': 'SIZES = (640, 320)\n'},
                           Description='Shared settings for the photo functions', CompatibleRuntimes=['python3.11'])
    publish_layer(api, 'node-middleware', {'nodejs/node_modules/middleware/index.js': 'module.exports = {};\n'},
                  Description='Request logging for the HTTP APIs', CompatibleRuntimes=['nodejs20.x'])
    api.create('image-resizer', 'python3.11', 'lambda_function.lambda_handler', {'lambda_function.py': RESIZER},
               MemorySize=256, Timeout=10, Description='Resizes uploaded photos to 640 px',
               Environment={'Variables': {'TARGET_WIDTH': '640', 'BUCKET': 'photos-resized'}},
               Layers=[pillow, common])
    api.create('orders-api', 'nodejs20.x', 'index.handler', {'index.mjs': ORDERS}, Description='HTTP API for orders')
    api.create('thumbnail-cleanup', 'python3.11', 'lambda_function.lambda_handler',
               {'lambda_function.py': CLEANUP}, Description='Nightly cleanup of stale thumbnails', Timeout=60)
    for _ in range(3):
        api.invoke('orders-api', {'path': '/orders'})
    # Waves of growing concurrency: each wave starts new environments (cold starts), the rest
    # reuse warm ones; every 23rd request fails on purpose.
    for wave in range(6):
        def one(i):
            key = 'photo-%d.jpg' % i
            return api.invoke('image-resizer', {'fail': True, 'key': key} if i % 23 == 0 else {'key': key})
        with ThreadPoolExecutor(max_workers=wave + 2) as pool:
            list(pool.map(one, range(1, 51)))
        time.sleep(10)
    # A burst above a reserved concurrency of 2 shows throttles.
    status, text = api.call('PUT', '/functions/image-resizer/concurrency', {'ReservedConcurrentExecutions': 2},
                            version='2017-10-31')
    assert status == 200, (status, text)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: api.invoke('image-resizer', {'key': 'burst.jpg'}), range(40)))
    api.call('DELETE', '/functions/image-resizer/concurrency', version='2017-10-31')
    api.call('POST', '/functions/image-resizer/versions', {'Description': 'first release'})
    api.call('PUT', '/functions/image-resizer/configuration', {'Timeout': 15})
    # Version 2 reads the width from the environment: the Versions tab's Compare shows it.
    width_from_env = RESIZER.replace("import time\n", "import os\nimport time\n").replace(
        "'width': 640", "'width': int(os.environ.get('TARGET_WIDTH', '640'))")
    status, text = api.call('PUT', '/functions/image-resizer/code', {'ZipFile': zipped({'lambda_function.py': width_from_env})})
    assert status == 200, (status, text)
    api.call('POST', '/functions/image-resizer/versions', {'Description': 'width from TARGET_WIDTH'})
    for alias in ({'Name': 'live', 'FunctionVersion': '1', 'Description': 'what the photo app calls',
                   'RoutingConfig': {'AdditionalVersionWeights': {'2': 0.1}}},
                  {'Name': 'dev', 'FunctionVersion': '$LATEST', 'Description': 'latest code, for testing'}):
        status, text = api.call('POST', '/functions/image-resizer/aliases', alias)
        assert status == 201, (status, text)
    for _ in range(30):  # through the weighted alias: its Monitor shows the split
        api.call('POST', '/functions/image-resizer/invocations?Qualifier=live', json.dumps({'key': 'a.jpg'}).encode())


def main():
    env = dict(os.environ, QT_QPA_PLATFORM='offscreen')
    with tempfile.TemporaryDirectory(prefix='lambdesk-shots-') as scratch:
        data = os.path.join(scratch, 'data')
        port = free_port()
        server = subprocess.Popen([APP, '--data-dir', data, '--listen', '127.0.0.1:%d' % port], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            api = Api(port)
            deadline = time.time() + 60
            while api_down(api) and time.time() < deadline:
                time.sleep(0.2)
            populate(api)
        finally:
            server.send_signal(signal.SIGTERM)  # the app quits cleanly and releases the data dir
            server.wait(timeout=60)

        empty_cache = os.path.join(scratch, 'cache')
        os.makedirs(empty_cache)
        shots = [
            ('functions.png', [], '1280x800'),
            ('create-function.png', ['--screen', 'create'], '1280x800'),
            ('create-blueprint.png', ['--screen', 'blueprints'], '1280x1450'),
            ('code.png', ['--open', 'image-resizer', '--tab', 'code'], '1280x1100'),
            ('test.png', ['--open', 'image-resizer', '--tab', 'test', '--run-test'], '1280x1300'),
            ('monitor.png', ['--open', 'image-resizer', '--tab', 'monitor'], '1280x1300'),
            ('configuration.png', ['--open', 'image-resizer', '--tab', 'configuration'], '1280x800'),
            ('aliases.png', ['--open', 'image-resizer', '--tab', 'aliases'], '1280x900'),
            ('versions.png', ['--open', 'image-resizer', '--tab', 'versions'], '1280x800'),
            ('alias-page.png', ['--open', 'image-resizer:live', '--tab', 'monitor'], '1280x1100'),
            ('dashboard.png', ['--screen', 'dashboard'], '1280x1250'),
            ('layers.png', ['--screen', 'layers'], '1280x800'),
            ('create-layer.png', ['--screen', 'create-layer'], '1280x1000'),
            ('guest-image-build.png', ['--sandbox', 'microvm'], '1280x800', {'XDG_CACHE_HOME': empty_cache}),
        ]
        for name, args, size, *extra_env in shots:
            subprocess.run([APP, '--data-dir', data, '--listen', 'off', '--size', size,
                            '--screenshot', os.path.join(HERE, name)] + args,
                           env=dict(env, **(extra_env[0] if extra_env else {})), check=True,
                           stderr=subprocess.DEVNULL)


def api_down(api):
    try:
        return api.call('GET', '/functions/')[0] != 200
    except OSError:
        return True


if __name__ == '__main__':
    main()
