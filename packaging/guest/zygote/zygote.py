# Lambdesk runtime zygote for Python (runs inside the microVM guest).
#
# The agent starts this while the guest image is being snapshotted: it pays for interpreter start-up
# and the imports every runtime makes, then blocks on fd 3. The snapshot is taken in that state, so
# each restore resumes here with all of that done. The Start fields then arrive on fd 3 and this
# process becomes the runtime: it takes the function's environment and runs the bootstrap as
# __main__, as `python3 -S -u bootstrap.py` would (the agent starts it with those flags).
import os
import sys

# What Lambdesk's bootstrap imports, plus json, which nearly every handler does. Kept short on
# purpose: whatever is loaded here counts in every function's Max Memory Used.
import _json, _socket, json, marshal, time, types  # noqa: E401,F401


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
# argv is the command the runtime would have been started with; the script comes last.
_script = _argv[-1]
sys.argv = [_script]
sys.path[0] = os.path.dirname(_script)
sys.path[1:1] = [p for p in _env.get("PYTHONPATH", "").split(":") if p]
# Anything seeded before the snapshot would repeat in every restore: reseed it from the entropy
# the agent has just added (random itself is not preloaded, so it normally seeds freshly).
if "random" in sys.modules:
    sys.modules["random"].seed()
del _start, _argv, _env, _read_all, _fields

# What runpy.run_path would do, without importing pkgutil and asking every path hook about a
# file: under TCG each new code path costs its translation, and that import alone was ~0.4 s.
with open(_script, "rb") as _file:
    _code = _file.read()
if _code[:4] == sys.modules["_frozen_importlib_external"].MAGIC_NUMBER:
    _code = marshal.loads(memoryview(_code)[16:])
else:
    _code = compile(_code, _script, "exec")
_main = types.ModuleType("__main__")
_main.__file__ = _script
_main.__builtins__ = __builtins__
sys.modules["__main__"] = _main
del _file
exec(_code, _main.__dict__)
