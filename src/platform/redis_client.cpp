#include "platform/redis_client.h"

#include <hiredis/hiredis.h>

#include <boost/url/parse.hpp>
#include <cerrno>

namespace cp::redis {

struct RedisClient::Conn {
  redisContext* ctx = nullptr;
  bool reused = false;  // came from the pool (may have gone stale while idle)
  ~Conn() {
    if (ctx) redisFree(ctx);
  }
};

namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

Reply convert(const redisReply* r) {
  Reply out;
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      out.type = Reply::Type::integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
      out.type = Reply::Type::string;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = Reply::Type::status;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      out.type = Reply::Type::array;
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(convert(r->element[i]));
      break;
    default:
      break;  // nil
  }
  return out;
}

}  // namespace

RedisClient::RedisClient(RedisOptions options) : options_(std::move(options)) {
  auto parsed = boost::urls::parse_uri(options_.url);
  if (!parsed || parsed->scheme() != "redis") {
    throw std::invalid_argument("redis.url must look like redis://[:password@]host[:port][/db]");
  }
  host_ = parsed->host();
  if (host_.empty()) host_ = "127.0.0.1";
  if (parsed->has_port()) port_ = parsed->port_number();
  if (parsed->has_userinfo()) {
    user_ = parsed->user();
    password_ = parsed->password();
  }
  std::string path = parsed->path();
  if (path.size() > 1) {
    try {
      db_ = std::stoi(path.substr(1));
    } catch (const std::exception&) {
      throw std::invalid_argument("redis.url: the path must be a database number");
    }
  }
  if (options_.pool_size == 0) options_.pool_size = 1;
  auto first = connect();  // fail early on a wrong address or password
  ++open_;
  release(std::move(first));
}

RedisClient::~RedisClient() = default;

std::unique_ptr<RedisClient::Conn> RedisClient::connect() {
  auto conn = std::make_unique<Conn>();
  conn->ctx = redisConnectWithTimeout(host_.c_str(), port_, to_timeval(options_.connect_timeout));
  if (!conn->ctx) throw RedisError("redis: out of memory", false);
  if (conn->ctx->err) {
    throw RedisError(
        "redis: connecting to " + host_ + ":" + std::to_string(port_) + ": " + conn->ctx->errstr,
        false);
  }
  redisSetTimeout(conn->ctx, to_timeval(options_.command_timeout));
  redisEnableKeepAlive(conn->ctx);
  auto setup = [&](std::vector<std::string> args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(conn->ctx, static_cast<int>(argv.size()), argv.data(), lens.data()));
    if (!r) throw RedisError(std::string("redis: ") + conn->ctx->errstr, false);
    std::string error = r->type == REDIS_REPLY_ERROR ? std::string(r->str, r->len) : "";
    freeReplyObject(r);
    if (!error.empty()) throw RedisError("redis: " + args[0] + ": " + error, true);
  };
  if (!password_.empty()) {
    if (user_.empty()) {
      setup({"AUTH", password_});
    } else {
      setup({"AUTH", user_, password_});
    }
  }
  if (db_ != 0) setup({"SELECT", std::to_string(db_)});
  return conn;
}

std::unique_ptr<RedisClient::Conn> RedisClient::acquire() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      conn->reused = true;
      return conn;
    }
    if (open_ < options_.pool_size) {
      ++open_;
      lock.unlock();
      try {
        return connect();
      } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
      }
    }
    if (!available_.wait_for(lock, options_.connect_timeout + options_.command_timeout,
                             [&] { return !idle_.empty() || open_ < options_.pool_size; })) {
      throw RedisError("redis: no connection free in the pool", false);
    }
  }
}

void RedisClient::release(std::unique_ptr<Conn> conn) {
  std::lock_guard lock(mutex_);
  if (conn) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;  // dropped a broken one
  }
  available_.notify_one();
}

Reply RedisClient::command(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  for (int attempt = 0;; ++attempt) {
    auto conn = acquire();
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(conn->ctx, static_cast<int>(argv.size()), argv.data(), lens.data()));
    if (!r) {
      int err = conn->ctx->err;
      std::string what = conn->ctx->errstr;
      bool stale =
          conn->reused && (err == REDIS_ERR_EOF ||
                           (err == REDIS_ERR_IO && (errno == ECONNRESET || errno == EPIPE)));
      conn.reset();
      release(nullptr);
      if (stale && attempt == 0) continue;
      throw RedisError("redis: " + (args.empty() ? std::string() : args[0]) + ": " + what, false);
    }
    if (r->type == REDIS_REPLY_ERROR) {
      std::string what(r->str, r->len);
      freeReplyObject(r);
      release(std::move(conn));
      throw RedisError("redis: " + args[0] + ": " + what, true);
    }
    Reply out = convert(r);
    freeReplyObject(r);
    release(std::move(conn));
    return out;
  }
}

bool RedisClient::ping() {
  try {
    return command({"PING"}).str == "PONG";
  } catch (const RedisError&) {
    return false;
  }
}

}  // namespace cp::redis
