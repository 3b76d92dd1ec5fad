// A pooled, synchronous Redis client on hiredis: each command borrows one connection from a
// small pool (so concurrent I/O threads do not queue behind one socket), with connect and
// command timeouts. A connection that fails is dropped and a fresh one is made on next use.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

struct redisContext;

namespace cp::redis {

// Transport failures (connect, timeout, broken connection) and server error replies.
class RedisError : public std::runtime_error {
 public:
  RedisError(const std::string& what, bool server_reply)
      : std::runtime_error(what), server_reply(server_reply) {}
  bool server_reply;  // true: Redis answered "-ERR ..." (the connection is fine)
};

struct RedisOptions {
  // redis://[[user]:password@]host[:port][/db]
  std::string url = "redis://127.0.0.1:6379/0";
  size_t pool_size = 8;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds command_timeout{1000};
};

struct Reply {
  enum class Type { nil, integer, string, status, array } type = Type::nil;
  int64_t integer = 0;
  std::string str;  // string and status replies
  std::vector<Reply> elements;
};

class RedisClient {
 public:
  explicit RedisClient(RedisOptions options);  // connects once, so a bad URL fails here
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Runs one command; throws RedisError. A pooled connection found broken (EOF or reset,
  // e.g. after a server restart) is replaced and the command sent once more; a timeout is
  // not retried, since the command may have run.
  Reply command(const std::vector<std::string>& args);
  bool ping();

 private:
  struct Conn;
  std::unique_ptr<Conn> connect();
  std::unique_ptr<Conn> acquire();
  void release(std::unique_ptr<Conn> conn);

  RedisOptions options_;
  std::string host_, password_, user_;
  int port_ = 6379;
  int db_ = 0;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Conn>> idle_;
  size_t open_ = 0;  // connections existing (idle or borrowed)
};

}  // namespace cp::redis
