#include "platform/redis_cache.h"

#include <spdlog/spdlog.h>

namespace cp::cache {
namespace {

// KEYS[1] key, ARGV[1] increment, ARGV[2] ttl in ms for a new key. EXISTS before INCRBY tells a
// new key from an existing one even when the sum happens to equal the increment.
constexpr const char* kIncrScript =
    "local existed = redis.call('EXISTS', KEYS[1])\n"
    "local v = redis.call('INCRBY', KEYS[1], ARGV[1])\n"
    "if existed == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end\n"
    "return v\n";

}  // namespace

RedisCache::RedisCache(std::shared_ptr<redis::RedisClient> client, std::string prefix)
    : client_(std::move(client)), prefix_(std::move(prefix)) {}

std::optional<std::string> RedisCache::get(const std::string& key) {
  try {
    auto r = client_->command({"GET", prefix_ + key});
    if (r.type != redis::Reply::Type::string) return std::nullopt;
    return std::move(r.str);
  } catch (const redis::RedisError& e) {
    spdlog::warn("cache: get {} failed, treated as a miss: {}", key, e.what());
    return std::nullopt;
  }
}

void RedisCache::set(const std::string& key, std::string value, std::chrono::milliseconds ttl) {
  try {
    if (ttl.count() <= 0) {  // already expired: same as deleting
      client_->command({"DEL", prefix_ + key});
      return;
    }
    client_->command({"SET", prefix_ + key, value, "PX", std::to_string(ttl.count())});
  } catch (const redis::RedisError& e) {
    spdlog::warn("cache: set {} failed, not cached: {}", key, e.what());
  }
}

void RedisCache::del(const std::string& key) {
  client_->command({"DEL", prefix_ + key});
}

int64_t RedisCache::incr(const std::string& key, int64_t by, std::chrono::milliseconds ttl_if_new) {
  try {
    auto r = client_->command({"EVAL", kIncrScript, "1", prefix_ + key, std::to_string(by),
                               std::to_string(std::max<int64_t>(1, ttl_if_new.count()))});
    return r.integer;
  } catch (const redis::RedisError& e) {
    if (e.server_reply && std::string_view(e.what()).find("not an integer") != std::string::npos) {
      throw std::invalid_argument("cache: value at " + key + " is not an integer");
    }
    throw;
  }
}

}  // namespace cp::cache
