# Lambdesk runtime zygote for Python (runs inside the microVM guest).
#
# The agent starts this while the guest image is being snapshotted: it pays for interpreter start-up
# and the imports every runtime makes, then blocks on fd 3. The snapshot is taken in that state, so
# each restore resumes here with all of that done. The Start fields then arrive on fd 3 and this
# process becomes the runtime: it takes the function's environment and runs the bootstrap as
# __main__, exactly as `python3 bootstrap.py` would.
import os
import sys

# What runtime bootstraps and typical handlers import; anything imported here is free later.
import base64, collections, contextlib, dataclasses, datetime, decimal, functools  # noqa: E401,F401
import hashlib, http.client, importlib, importlib.util, io, json, logging, math, random  # noqa: E401,F401
import re, runpy, socket, ssl, struct, threading, time, traceback, typing, urllib.parse  # noqa: E401,F401
import urllib.request, uuid  # noqa: E401,F401


def _read_all(fd):
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _fields(data):
    # Length-prefixed key/value pairs (sandbox/microvmprotocol.h encodeFields).
    pos = 0
    while pos < len(data):
        size = int.from_bytes(data[pos:pos + 4], "little")
        key = data[pos + 4:pos + 4 + size].decode()
        pos += 4 + size
        size = int.from_bytes(data[pos:pos + 4], "little")
        value = data[pos + 4:pos + 4 + size]
        pos += 4 + size
        yield key, value


os.write(4, b"R")
os.close(4)
_start = list(_fields(_read_all(3)))
os.close(3)

_argv = [v.decode(errors="surrogateescape") for k, v in _start if k == "argv"]
_env = {k[4:]: v.decode(errors="surrogateescape") for k, v in _start if k.startswith("env:")}
os.environ.clear()
os.environ.update(_env)
os.chdir(next((v.decode() for k, v in _start if k == "cwd"), "/var/task"))
# Settings CPython reads from the environment only at start-up.
sys.dont_write_bytecode = bool(_env.get("PYTHONDONTWRITEBYTECODE"))
_script = _argv[1]
sys.argv = _argv[1:]
sys.path[0] = os.path.dirname(_script)
sys.path[1:1] = [p for p in _env.get("PYTHONPATH", "").split(":") if p]
# Every restore of the snapshot starts with the same generator state.
random.seed()
del _start, _argv, _env, _read_all, _fields
runpy.run_path(_script, run_name="__main__")
