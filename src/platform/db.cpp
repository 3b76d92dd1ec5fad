#include "platform/db.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <thread>

#include <spdlog/spdlog.h>

#include "platform/postgres_database.h"
#include "platform/sqlite_database.h"

namespace cp::db {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

[[noreturn]] void throw_conversion(const Row& row, size_t i, const char* wanted) {
  throw DbError("column '" + row.column_name(i) + "' cannot be read as " + wanted);
}

std::optional<int64_t> parse_int64(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view s) {
  std::string copy(s);  // strtod needs a terminator; from_chars(double) is fine too in GCC 12
  double v = 0;
  auto [end, ec] = std::from_chars(copy.data(), copy.data() + copy.size(), v);
  if (ec != std::errc() || end != copy.data() + copy.size()) return std::nullopt;
  return v;
}

}  // namespace

const char* dialect_name(Dialect d) {
  return d == Dialect::sqlite ? "sqlite" : "postgres";
}

size_t Row::index_of(std::string_view column) const {
  for (size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == column) return i;
  }
  throw DbError("no column named '" + std::string(column) + "' in result");
}

bool Row::is_null(size_t i) const {
  return std::holds_alternative<std::monostate>(cells_.at(i));
}

std::string Row::text(size_t i) const {
  return std::visit(
      Overloaded{
          [&](std::monostate) -> std::string { throw_conversion(*this, i, "text (NULL)"); },
          [](int64_t v) { return std::to_string(v); },
          [](double v) {
            char buf[32];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
            return std::string(buf, end);
          },
          [](const std::string& v) { return v; },
      },
      cells_.at(i));
}

int64_t Row::int64(size_t i) const {
  return std::visit(
      Overloaded{
          [&](std::monostate) -> int64_t { throw_conversion(*this, i, "int64 (NULL)"); },
          [](int64_t v) { return v; },
          [&](double v) -> int64_t {
            if (std::trunc(v) != v) throw_conversion(*this, i, "int64");
            return static_cast<int64_t>(v);
          },
          [&](const std::string& v) -> int64_t {
            if (auto n = parse_int64(v)) return *n;
            throw_conversion(*this, i, "int64");
          },
      },
      cells_.at(i));
}

double Row::real(size_t i) const {
  return std::visit(
      Overloaded{
          [&](std::monostate) -> double { throw_conversion(*this, i, "real (NULL)"); },
          [](int64_t v) { return static_cast<double>(v); },
          [](double v) { return v; },
          [&](const std::string& v) -> double {
            if (auto d = parse_double(v)) return *d;
            throw_conversion(*this, i, "real");
          },
      },
      cells_.at(i));
}

bool Row::boolean(size_t i) const {
  return std::visit(
      Overloaded{
          [&](std::monostate) -> bool { throw_conversion(*this, i, "boolean (NULL)"); },
          [](int64_t v) { return v != 0; },
          [](double v) { return v != 0; },
          [&](const std::string& v) -> bool {
            if (v == "1" || v == "t" || v == "true") return true;
            if (v == "0" || v == "f" || v == "false") return false;
            throw_conversion(*this, i, "boolean");
          },
      },
      cells_.at(i));
}

std::optional<std::string> Row::opt_text(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}
std::optional<int64_t> Row::opt_int64(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return int64(i);
}
std::optional<double> Row::opt_real(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return real(i);
}

const Row& Result::one() const& {
  if (rows_.size() != 1) {
    throw NotFound("expected exactly one row, got " + std::to_string(rows_.size()));
  }
  return rows_.front();
}

const std::vector<std::string>& Result::columns() const {
  static const std::vector<std::string> kNone;
  return columns_ ? *columns_ : kNone;
}

void Database::run_on_commit(Transaction& tx) noexcept {
  for (auto& fn : tx.on_commit_) {
    try {
      fn();
    } catch (const std::exception& e) {
      // The data is committed; a failing hook must not make the caller think otherwise.
      spdlog::warn("db: on_commit hook failed: {}", e.what());
    }
  }
}

void Database::backoff_before_retry(int attempt) {
  // Exponential backoff with jitter so competing writers do not retry in lock step.
  thread_local std::minstd_rand rng{std::random_device{}()};
  int base_ms = 5 << attempt;  // 10, 20, 40, 80 ms
  std::uniform_int_distribution<int> jitter(0, base_ms);
  std::this_thread::sleep_for(std::chrono::milliseconds(base_ms + jitter(rng)));
}

std::unique_ptr<Database> open_database(const std::string& url, int pool_size) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);  // sqlite:///abs/path
    if (path.empty()) throw DbError("sqlite url without a path: " + url);
    return open_sqlite(path, SqliteOptions{});
  }
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    return open_postgres(url, pool_size);
  }
  throw DbError("unsupported database url (want sqlite: or postgres://): " +
                url.substr(0, url.find(':')));
}

}  // namespace cp::db
