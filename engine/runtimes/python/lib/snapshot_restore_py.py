# Runtime hooks for SnapStart, under the name and with the API of AWS's snapshot-restore-py, so
# that a function using them runs unchanged here and on Lambda:
#
#     from snapshot_restore_py import register_before_snapshot, register_after_restore
#
#     @register_before_snapshot
#     def close_connections(): ...
#
# Before-snapshot hooks run once init is done and before the snapshot is taken, in the reverse
# order of their registration; after-restore hooks run in a restored environment before its first
# event, in the order of their registration. Lambdesk's bootstrap runs them (bootstrap.py).

_before_snapshot_registry = []
_after_restore_registry = []


def register_before_snapshot(func, *args, **kwargs):
    _before_snapshot_registry.append((func, args, kwargs))
    return func


def register_after_restore(func, *args, **kwargs):
    _after_restore_registry.append((func, args, kwargs))
    return func


def get_before_snapshot():
    return _before_snapshot_registry


def get_after_restore():
    return _after_restore_registry
