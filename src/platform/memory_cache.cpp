#include <charconv>
#include <stdexcept>

#include "platform/cache.h"

namespace cp::cache {

MemoryCache::MemoryCache(MemoryCacheOptions options) : options_(std::move(options)) {
  if (options_.shards == 0) options_.shards = 1;
  per_shard_limit_ = std::max<size_t>(1, options_.max_entries / options_.shards);
  for (size_t i = 0; i < options_.shards; ++i) shards_.push_back(std::make_unique<Shard>());
}

MemoryCache::Shard& MemoryCache::shard_for(const std::string& key) {
  return *shards_[std::hash<std::string>{}(key) % shards_.size()];
}

void MemoryCache::erase(Shard& shard, std::unordered_map<std::string, Entry>::iterator it) {
  shard.recency.erase(it->second.lru);
  shard.entries.erase(it);
}

void MemoryCache::store(Shard& shard, const std::string& key, std::string value,
                        Clock::time_point expires) {
  auto it = shard.entries.find(key);
  if (it != shard.entries.end()) {
    it->second.value = std::move(value);
    it->second.expires = expires;
    shard.recency.splice(shard.recency.begin(), shard.recency, it->second.lru);
    return;
  }
  while (shard.entries.size() >= per_shard_limit_ && !shard.recency.empty()) {
    erase(shard, shard.entries.find(shard.recency.back()));
  }
  shard.recency.push_front(key);
  shard.entries.emplace(key, Entry{std::move(value), expires, shard.recency.begin()});
}

std::optional<std::string> MemoryCache::get(const std::string& key) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) return std::nullopt;
  if (it->second.expires <= now()) {
    erase(shard, it);
    return std::nullopt;
  }
  shard.recency.splice(shard.recency.begin(), shard.recency, it->second.lru);
  return it->second.value;
}

void MemoryCache::set(const std::string& key, std::string value, std::chrono::milliseconds ttl) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  if (ttl.count() <= 0) {  // already expired: same as deleting
    if (auto it = shard.entries.find(key); it != shard.entries.end()) erase(shard, it);
    return;
  }
  store(shard, key, std::move(value), now() + ttl);
}

void MemoryCache::del(const std::string& key) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  if (auto it = shard.entries.find(key); it != shard.entries.end()) erase(shard, it);
}

int64_t MemoryCache::incr(const std::string& key, int64_t by,
                          std::chrono::milliseconds ttl_if_new) {
  Shard& shard = shard_for(key);
  std::lock_guard lock(shard.mutex);
  auto t = now();
  auto it = shard.entries.find(key);
  if (it != shard.entries.end() && it->second.expires > t) {
    const std::string& v = it->second.value;
    int64_t current = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), current);
    if (ec != std::errc() || end != v.data() + v.size()) {
      throw std::invalid_argument("cache: value at " + key + " is not an integer");
    }
    current += by;
    store(shard, key, std::to_string(current), it->second.expires);
    return current;
  }
  store(shard, key, std::to_string(by), t + ttl_if_new);
  return by;
}

size_t MemoryCache::size() {
  size_t total = 0;
  for (auto& shard : shards_) {
    std::lock_guard lock(shard->mutex);
    total += shard->entries.size();
  }
  return total;
}

}  // namespace cp::cache
