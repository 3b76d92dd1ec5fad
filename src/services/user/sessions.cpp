#include "services/user/sessions.h"

#include "core/ids.h"
#include "services/user/store.h"

namespace cp::user {

IssuedSession issue_session(db::Transaction& tx, UserContext& ctx, const User& user,
                            const std::string& family_id) {
  const auto now = ctx.clock();
  const auto& settings = ctx.settings.tokens;
  auto refresh = generate_refresh_token(settings, now);
  store::insert_refresh_token(tx, cp::new_id("rtk"), family_id, user.id, refresh, unix_ms(now));
  AccessClaims claims{user.id,
                      store::user_role_names(tx, user.id),
                      store::user_permissions(tx, user.id),
                      family_id,
                      unix_seconds(now),
                      unix_seconds(now) + settings.access_ttl.count()};
  User fresh = user;
  fresh.roles = claims.roles;
  IssuedSession session;
  session.tokens = SessionTokens{sign_access_token(claims, settings.jwt_secret), refresh.token,
                                 settings.access_ttl.count(), std::move(fresh)};
  session.session_id = family_id;
  return session;
}

}  // namespace cp::user
