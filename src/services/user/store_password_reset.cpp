// password_reset_tokens table.
#include "services/user/store.h"

namespace cp::user::store {
namespace {

const std::string kSelectUserIdByEmail = "SELECT id FROM users WHERE email = $1";
const std::string kInsertResetToken =
    "INSERT INTO password_reset_tokens (id, user_id, token_hash, created_at, expires_at,"
    " requested_ip) VALUES ($1, $2, $3, $4, $5, $6)";
const std::string kSelectResetToken =
    "SELECT id, user_id, created_at, expires_at, used_at, invalidated_at"
    " FROM password_reset_tokens WHERE token_hash = $1";
const std::string kInvalidateResetTokens =
    "UPDATE password_reset_tokens SET invalidated_at = $2"
    " WHERE user_id = $1 AND used_at IS NULL AND invalidated_at IS NULL";
// The guards make the token single-use even when two resets race: only one UPDATE matches.
const std::string kUseResetToken =
    "UPDATE password_reset_tokens SET used_at = $2"
    " WHERE id = $1 AND used_at IS NULL AND invalidated_at IS NULL";
const std::string kLatestResetRequest =
    "SELECT created_at FROM password_reset_tokens WHERE user_id = $1"
    " ORDER BY created_at DESC LIMIT 1";

}  // namespace

std::optional<std::string> find_user_id_by_email(Executor& ex, const std::string& email) {
  auto rows = ex.exec(kSelectUserIdByEmail, {email});
  if (rows.empty()) return std::nullopt;
  return rows.one().text("id");
}

void insert_reset_token(Executor& ex, const ResetTokenRecord& t, const std::string& token_hash,
                        const std::string& requested_ip) {
  ex.exec(kInsertResetToken,
          {t.id, t.user_id, token_hash, t.created_at, t.expires_at, requested_ip});
}

std::optional<ResetTokenRecord> find_reset_token(Executor& ex, const std::string& token_hash) {
  auto rows = ex.exec(kSelectResetToken, {token_hash});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.one();
  return ResetTokenRecord{r.text("id"),           r.text("user_id"),
                          r.int64("created_at"),  r.int64("expires_at"),
                          r.opt_int64("used_at"), r.opt_int64("invalidated_at")};
}

void invalidate_reset_tokens(Executor& ex, const std::string& user_id, int64_t now) {
  ex.exec(kInvalidateResetTokens, {user_id, now});
}

bool use_reset_token(Executor& ex, const std::string& id, int64_t now) {
  return ex.exec(kUseResetToken, {id, now}).affected() == 1;
}

std::optional<int64_t> latest_reset_request(Executor& ex, const std::string& user_id) {
  auto rows = ex.exec(kLatestResetRequest, {user_id});
  if (rows.empty()) return std::nullopt;
  return rows.one().int64("created_at");
}

}  // namespace cp::user::store
