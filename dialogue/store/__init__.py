"""Persistence: the Redis session store (sessions) and the embedded redis-server started when no REDIS_URL
is set (redis_server)."""
