// Key/value cache with TTLs: MemoryCache in process (L1, and the only cache of `cloudphone up`);
// a Redis implementation (L2, shared by processes) comes behind the same interface.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace cp::cache {

class Cache {
 public:
  virtual ~Cache() = default;
  virtual std::optional<std::string> get(const std::string& key) = 0;
  virtual void set(const std::string& key, std::string value, std::chrono::milliseconds ttl) = 0;
  virtual void del(const std::string& key) = 0;
  // Adds `by` to the integer at key (rate limits, counters). A missing or expired key starts
  // at 0 and gets ttl_if_new; an existing key keeps its expiry. Throws std::invalid_argument
  // when the value is not an integer.
  virtual int64_t incr(const std::string& key, int64_t by,
                       std::chrono::milliseconds ttl_if_new) = 0;
};

struct MemoryCacheOptions {
  size_t max_entries = 100'000;  // over all shards; least recently used entries go first
  size_t shards = 16;            // independent locks, so threads rarely contend
  std::function<std::chrono::steady_clock::time_point()> clock;  // tests; default steady_clock
};

class MemoryCache final : public Cache {
 public:
  explicit MemoryCache(MemoryCacheOptions options = {});
  std::optional<std::string> get(const std::string& key) override;
  void set(const std::string& key, std::string value, std::chrono::milliseconds ttl) override;
  void del(const std::string& key) override;
  int64_t incr(const std::string& key, int64_t by, std::chrono::milliseconds ttl_if_new) override;
  size_t size();  // live and not yet evicted expired entries

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::string value;
    Clock::time_point expires;
    std::list<std::string>::iterator lru;  // position in Shard::recency (front = newest)
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
    std::list<std::string> recency;
  };

  Shard& shard_for(const std::string& key);
  Clock::time_point now() const { return options_.clock ? options_.clock() : Clock::now(); }
  // Inserts or replaces under the shard lock, evicting the least recently used on overflow.
  void store(Shard& shard, const std::string& key, std::string value, Clock::time_point expires);
  static void erase(Shard& shard, std::unordered_map<std::string, Entry>::iterator it);

  MemoryCacheOptions options_;
  size_t per_shard_limit_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace cp::cache
