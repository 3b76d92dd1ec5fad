// users table.
#include <algorithm>
#include <cctype>

#include "services/user/store.h"

namespace cp::user::store {
namespace {

constexpr std::string_view kUserColumns =
    "id, email, username, display_name, status, totp_enabled, created_at, updated_at";

const std::string kInsertUser =
    "INSERT INTO users (id, email, username, display_name, password_hash, status, created_at,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const std::string kSelectUserById =
    "SELECT " + std::string(kUserColumns) + " FROM users WHERE id = $1";
const std::string kSelectUserByUsername =
    "SELECT " + std::string(kUserColumns) + " FROM users WHERE lower(username) = lower($1)";
const std::string kSelectLogin =
    "SELECT " + std::string(kUserColumns) +
    ", password_hash, totp_secret, totp_last_step, failed_login_count, failed_window_started_at,"
    " locked_until FROM users WHERE (email = $1 OR lower(username) = $1) AND status <> 'deleted'";
const std::string kSelectSecrets =
    "SELECT password_hash, totp_secret, totp_last_step, failed_login_count,"
    " failed_window_started_at, locked_until FROM users WHERE id = $1";
const std::string kEmailTaken = "SELECT id FROM users WHERE email = $1 AND id <> $2";
const std::string kUsernameTaken = "SELECT id FROM users WHERE lower(username) = lower($1)";
const std::string kUpdateProfile =
    "UPDATE users SET display_name = $2, email = $3, updated_at = $4 WHERE id = $1";
const std::string kUpdatePassword =
    "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1";
const std::string kUpdateStatus =
    "UPDATE users SET status = $2, updated_at = $3,"
    " deleted_at = CASE WHEN $2 = 'deleted' THEN $3 ELSE deleted_at END WHERE id = $1";
const std::string kUpdateFailures =
    "UPDATE users SET failed_login_count = $2, failed_window_started_at = $3, locked_until = $4"
    " WHERE id = $1";
const std::string kUpdateTotp =
    "UPDATE users SET totp_secret = $2, totp_enabled = $3, totp_last_step = $4, updated_at = $5"
    " WHERE id = $1";
// Deleted users are listed only when asked for by status. The search pattern is lower-cased
// and LIKE-escaped by the caller of the query.
const std::string kListUsers =
    "SELECT " + std::string(kUserColumns) +
    " FROM users"
    " WHERE (($1 = '' AND status <> 'deleted') OR status = $1)"
    " AND ($2 = '' OR lower(username) LIKE $2 ESCAPE '\\' OR email LIKE $2 ESCAPE '\\'"
    "      OR lower(display_name) LIKE $2 ESCAPE '\\')"
    " AND id > $3 ORDER BY id LIMIT $4";

db::Param text(const std::string& s) {
  return s;
}
db::Param opt(const std::optional<std::string>& s) {
  return s ? db::Param(*s) : db::Param(nullptr);
}
db::Param opt(std::optional<int64_t> v) {
  return v ? db::Param(*v) : db::Param(nullptr);
}

User user_from_row(const db::Row& r, Executor& ex) {
  User u{r.text("id"),           r.text("email"),       r.text("username"),
         r.text("display_name"), r.text("status"),      r.boolean("totp_enabled"),
         r.int64("created_at"),  r.int64("updated_at"), {}};
  u.roles = user_role_names(ex, u.id);
  return u;
}

UserSecrets secrets_from_row(const db::Row& r) {
  return UserSecrets{
      r.text("password_hash"), r.opt_text("totp_secret"), r.opt_int64("totp_last_step"),
      LoginFailureState{static_cast<int>(r.int64("failed_login_count")),
                        r.int64("failed_window_started_at"), r.int64("locked_until")}};
}

std::string like_pattern(const std::string& search) {
  if (search.empty()) {
    return "";
  }
  std::string p = "%";
  for (char c : search) {
    if (c == '%' || c == '_' || c == '\\') {
      p.push_back('\\');
    }
    p.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return p + "%";
}

}  // namespace

void insert_user(Executor& ex, const User& u, const std::string& password_hash) {
  ex.exec(kInsertUser, {u.id, u.email, u.username, u.display_name, password_hash, u.status,
                        u.created_at, u.updated_at});
}

std::optional<User> find_user(Executor& ex, const std::string& id) {
  auto rows = ex.exec(kSelectUserById, {id});
  return rows.empty() ? std::nullopt : std::optional<User>(user_from_row(rows[0], ex));
}

std::optional<User> find_user_by_username(Executor& ex, const std::string& username) {
  auto rows = ex.exec(kSelectUserByUsername, {username});
  return rows.empty() ? std::nullopt : std::optional<User>(user_from_row(rows[0], ex));
}

std::optional<std::pair<User, UserSecrets>> find_login(Executor& ex, const std::string& login) {
  std::string key = login;
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto rows = ex.exec(kSelectLogin, {key});
  if (rows.empty()) {
    return std::nullopt;
  }
  return std::make_pair(user_from_row(rows[0], ex), secrets_from_row(rows[0]));
}

std::optional<UserSecrets> find_secrets(Executor& ex, const std::string& user_id) {
  auto rows = ex.exec(kSelectSecrets, {user_id});
  return rows.empty() ? std::nullopt : std::optional<UserSecrets>(secrets_from_row(rows[0]));
}

bool email_taken(Executor& ex, const std::string& email, const std::string& except_user_id) {
  return !ex.exec(kEmailTaken, {email, except_user_id}).empty();
}

bool username_taken(Executor& ex, const std::string& username) {
  return !ex.exec(kUsernameTaken, {username}).empty();
}

void update_profile(Executor& ex, const std::string& id, const std::string& display_name,
                    const std::string& email, int64_t now) {
  ex.exec(kUpdateProfile, {id, display_name, email, now});
}

void update_password(Executor& ex, const std::string& id, const std::string& hash, int64_t now) {
  ex.exec(kUpdatePassword, {id, hash, now});
}

void set_status(Executor& ex, const std::string& id, std::string_view status, int64_t now) {
  ex.exec(kUpdateStatus, {id, std::string(status), now});
}

void save_login_failures(Executor& ex, const std::string& id, const LoginFailureState& s) {
  ex.exec(kUpdateFailures,
          {id, int64_t{s.failed_count}, s.window_started_at_ms, s.locked_until_ms});
}

void save_totp(Executor& ex, const std::string& id, const std::optional<std::string>& secret,
               bool enabled, std::optional<int64_t> last_step, int64_t now) {
  ex.exec(kUpdateTotp, {text(id), opt(secret), enabled, opt(last_step), now});
}

Page<User> list_users(Executor& ex, const UserFilter& f) {
  auto rows = ex.exec(kListUsers, {f.status, like_pattern(f.search), f.after_id, f.limit + 1});
  Page<User> page;
  for (const auto& r : rows) {
    if (static_cast<int64_t>(page.items.size()) == f.limit) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(user_from_row(r, ex));
  }
  return page;
}

}  // namespace cp::user::store
