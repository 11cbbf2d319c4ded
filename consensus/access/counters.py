"""Atomic counters in the shared Django cache (rate limits, the circuit breaker's failures).

Django 5.2's `cache.aincr` is a read then a write (`BaseCache.aincr`; no backend overrides it):
twenty concurrent increments can all read 0. `incr` here is one atomic step per backend:

- Redis: `SET key 0 EX ttl NX` then `INCR key` in one MULTI/EXEC transaction, on the client
  behind Django's `RedisCache` (values stay readable by `cache.get`: Django stores ints as is);
- local memory: `LocMemCache.add` and `incr`, each under the cache's lock, called directly (they
  never block: no thread hop) with no `await` in between, so no other task runs between them;
- any other backend: its own `add` and `incr` in a worker thread (memcached's are atomic; the
  database cache's are not).
"""

from __future__ import annotations

import math
from typing import Any

from asgiref.sync import sync_to_async
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache


async def incr(key: str, *, ttl: float) -> int:
    """Add one to the counter at `key` (created with a lifetime of `ttl` seconds when missing;
    an existing counter keeps its expiry) and return the new count."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        return await sync_to_async(_redis_incr, thread_sensitive=False)(backend, key, ttl)
    if isinstance(backend, LocMemCache):
        return _sync_incr(backend, key, ttl)
    return await sync_to_async(_sync_incr, thread_sensitive=False)(backend, key, ttl)


def _redis_incr(backend: RedisCache, key: str, ttl: float) -> int:
    full_key = backend.make_and_validate_key(key)
    # `_cache` is the backend's RedisCacheClient (Django has no public path to the client).
    client = backend._cache.get_client(full_key, write=True)  # type: ignore[attr-defined]
    pipe = client.pipeline(transaction=True)
    pipe.set(full_key, 0, ex=max(1, math.ceil(ttl)), nx=True)
    pipe.incr(full_key)
    _, count = pipe.execute()
    return int(count)


def _sync_incr(backend: Any, key: str, ttl: float) -> int:
    for _ in range(3):
        backend.add(key, 0, ttl)
        try:
            return int(backend.incr(key))
        except ValueError:  # expired or deleted between add and incr: start it again
            continue
    raise RuntimeError(f"counter {key} keeps disappearing from the cache")
