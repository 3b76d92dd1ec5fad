// The L2 cache of `cloudphone serve` (config redis.url): the Cache interface on Redis, so
// several processes share entries and counters (the gateway's rate limits). Keys are prefixed
// (redis.prefix, default "cp:") so one Redis can serve several deployments or tests.
#pragma once

#include <memory>

#include "platform/cache.h"
#include "platform/redis_client.h"

namespace cp::cache {

class RedisCache final : public Cache {
 public:
  RedisCache(std::shared_ptr<redis::RedisClient> client, std::string prefix = "cp:");

  // A transport failure reads as a miss (the caller falls back to the database) and is logged.
  std::optional<std::string> get(const std::string& key) override;
  // A failed set is logged and dropped: the entry is just not cached.
  void set(const std::string& key, std::string value, std::chrono::milliseconds ttl) override;
  // Throws RedisError: a lost invalidation would leave stale data behind.
  void del(const std::string& key) override;
  // Atomic on the server (one Lua script: INCRBY, and PEXPIRE when the key was new), so
  // concurrent processes count together. Throws RedisError when Redis is unreachable and
  // std::invalid_argument when the value is not an integer.
  int64_t incr(const std::string& key, int64_t by, std::chrono::milliseconds ttl_if_new) override;

  redis::RedisClient& client() { return *client_; }

 private:
  std::shared_ptr<redis::RedisClient> client_;
  std::string prefix_;
};

}  // namespace cp::cache
