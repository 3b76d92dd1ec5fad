// Pure rules without a database or HTTP: review state machine, visibility, upload decisions,
// install input.
#include <gtest/gtest.h>

#include "core/problem.h"

#include "services/app/catalog.h"
#include "services/app/installs.h"
#include "services/app/review.h"

namespace cp::app {
namespace {

using S = ReviewState;
using A = ReviewAction;

http::Identity who(const std::string& id, bool is_admin = false) {
  http::Identity i;
  i.user_id = id;
  i.roles = {is_admin ? "admin" : "user"};
  i.permissions =
      is_admin ? std::vector<std::string>{"*"} : std::vector<std::string>{"app:read", "app:upload"};
  return i;
}

App app_of(const std::string& owner, bool published = false) {
  return App{"app_1", "com.example.x", owner, "X", "", "", published, 1, 1};
}

TEST(ReviewStateMachine, AllowedTransitions) {
  EXPECT_EQ(next_review_state(S::draft, A::submit), S::pending);
  EXPECT_EQ(next_review_state(S::rejected, A::submit), S::pending);
  EXPECT_EQ(next_review_state(S::unpublished, A::submit), S::pending);
  EXPECT_EQ(next_review_state(S::pending, A::approve), S::published);
  EXPECT_EQ(next_review_state(S::pending, A::reject), S::rejected);
  EXPECT_EQ(next_review_state(S::published, A::unpublish), S::unpublished);
}

TEST(ReviewStateMachine, EverythingElseIsAConflict) {
  int conflicts = 0;
  for (auto from : {S::draft, S::pending, S::published, S::rejected, S::unpublished}) {
    for (auto action : {A::submit, A::approve, A::reject, A::unpublish}) {
      try {
        next_review_state(from, action);
      } catch (const http::ApiError& e) {
        EXPECT_EQ(e.status(), http::Status::conflict);
        EXPECT_EQ(e.code(), "invalid_review_state");
        ++conflicts;
      }
    }
  }
  EXPECT_EQ(conflicts, 20 - 6);
  EXPECT_THROW(next_review_state(S::draft, A::approve),
               http::ApiError);  // no approval without review
  EXPECT_THROW(next_review_state(S::published, A::approve), http::ApiError);
}

TEST(ReviewStateMachine, StateNamesRoundTrip) {
  for (auto s : {S::draft, S::pending, S::published, S::rejected, S::unpublished}) {
    EXPECT_EQ(parse_review_state(to_string(s)), s);
  }
  EXPECT_FALSE(parse_review_state("approved"));
}

TEST(Visibility, PrivateUploadsOnlyForOwnerAndAdmins) {
  auto priv = app_of("usr_a");
  EXPECT_TRUE(can_see_app(priv, who("usr_a")));
  EXPECT_FALSE(can_see_app(priv, who("usr_b")));
  EXPECT_TRUE(can_see_app(priv, who("usr_root", true)));
  auto pub = app_of("usr_a", true);
  EXPECT_TRUE(can_see_app(pub, who("usr_b")));

  AppVersion draft, live;
  draft.review_state = S::pending;
  live.review_state = S::published;
  EXPECT_FALSE(
      can_see_version(pub, draft, who("usr_b")));  // market users see published versions only
  EXPECT_TRUE(can_see_version(pub, live, who("usr_b")));
  EXPECT_TRUE(can_see_version(pub, draft, who("usr_a")));
}

TEST(Visibility, ReviewActors) {
  auto a = app_of("usr_a");
  EXPECT_NO_THROW(check_review_actor(a, A::submit, who("usr_a")));
  EXPECT_THROW(check_review_actor(a, A::submit, who("usr_b")), http::ApiError);
  EXPECT_THROW(check_review_actor(a, A::approve, who("usr_a")),
               http::ApiError);  // no self-approval
  EXPECT_NO_THROW(check_review_actor(a, A::approve, who("usr_root", true)));
  EXPECT_NO_THROW(check_review_actor(a, A::unpublish, who("usr_a")));
  EXPECT_THROW(check_review_actor(a, A::unpublish, who("usr_b")), http::ApiError);
}

TEST(Versioning, NewAppNewVersionOrConflict) {
  EXPECT_EQ(decide_upload(std::nullopt, 0, 1, who("usr_a")), UploadKind::new_app);
  auto a = app_of("usr_a");
  EXPECT_EQ(decide_upload(a, 42, 43, who("usr_a")), UploadKind::new_version);
  EXPECT_EQ(decide_upload(a, 42, 43, who("usr_root", true)), UploadKind::new_version);
  for (int64_t code : {42, 41, 1}) {
    try {
      decide_upload(a, 42, code, who("usr_a"));
      ADD_FAILURE() << code << " accepted";
    } catch (const http::ApiError& e) {
      EXPECT_EQ(e.status(), http::Status::conflict);
      EXPECT_EQ(e.code(), "version_not_newer");
    }
  }
  try {
    decide_upload(a, 42, 99, who("usr_b"));
    ADD_FAILURE() << "another tenant took over the package";
  } catch (const http::ApiError& e) {
    EXPECT_EQ(e.code(), "package_taken");
  }
}

TEST(InstallInput, OneOrManyDevices) {
  auto one = read_install_input(boost::json::parse(R"({"device_id":"dev_1"})").as_object(), 10);
  EXPECT_EQ(one.device_ids, std::vector<std::string>{"dev_1"});
  EXPECT_FALSE(one.version_code);
  auto many = read_install_input(
      boost::json::parse(R"({"device_ids":["a","b"],"version_code":3})").as_object(), 10);
  EXPECT_EQ(many.device_ids.size(), 2u);
  EXPECT_EQ(*many.version_code, 3);
  auto field_of = [](const char* text, int max) {
    try {
      read_install_input(boost::json::parse(text).as_object(), max);
    } catch (const http::ApiError& e) {
      return e.field();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(field_of(R"({})", 10), "device_ids");
  EXPECT_EQ(field_of(R"({"device_ids":[]})", 10), "device_ids");
  EXPECT_EQ(field_of(R"({"device_ids":["a","a"]})", 10), "device_ids");
  EXPECT_EQ(field_of(R"({"device_ids":["a","b","c"]})", 2), "device_ids");
  EXPECT_EQ(field_of(R"({"device_ids":["a"],"device_id":"b"})", 10), "device_ids");
  EXPECT_EQ(field_of(R"({"device_id":""})", 10), "device_id");
  EXPECT_EQ(field_of(R"({"device_id":"a","version_code":0})", 10), "version_code");
}

TEST(Catalog, CategoryNames) {
  EXPECT_NO_THROW(validate_category(""));
  EXPECT_NO_THROW(validate_category("games-2_x"));
  EXPECT_THROW(validate_category("Games"), http::ApiError);
  EXPECT_THROW(validate_category("a b"), http::ApiError);
  EXPECT_THROW(validate_category(std::string(33, 'a')), http::ApiError);
}

TEST(Installs, BatchProgress) {
  BatchView v{{"inb_1", "app_1", "com.x", 3, "install", "usr_a", "api", 1},
              {{"inb_1", "d1", "installed", 100, "", 1},
               {"inb_1", "d2", "failed", 100, "adb_error", 1},
               {"inb_1", "d3", "installing", 50, "", 1}}};
  auto j = batch_json(v);
  EXPECT_EQ(j.at("state").as_string(), "running");
  EXPECT_EQ(j.at("total").as_int64(), 3);
  EXPECT_EQ(j.at("done").as_int64(), 2);
  EXPECT_EQ(j.at("failed").as_int64(), 1);
  EXPECT_EQ(j.at("items").as_array()[1].as_object().at("reason").as_string(), "adb_error");
}

}  // namespace
}  // namespace cp::app
