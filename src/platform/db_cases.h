// Database test cases written once and run on both backends: db_test.cpp instantiates them on
// SQLite, db_pgtest.cpp on PostgreSQL (INSTANTIATE_TEST_SUITE_P(..., DbCase, Values(dialect))).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <stdexcept>
#include <thread>

#include "cp_migrations/platform_testdata.h"
#include "platform/db.h"
#include "platform/db_testing.h"
#include "platform/migrations.h"

namespace cp::db {

class DbCase : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    db_ = open_test_database(GetParam());
    db_->exec_script(
        "CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT, r DOUBLE PRECISION, s TEXT,"
        " b INTEGER, note TEXT)");
  }
  int64_t count(const std::string& table) {
    return db_->exec("SELECT COUNT(*) AS c FROM " + table).one().int64("c");
  }
  std::unique_ptr<Database> db_;
};

// The DbError a statement throws (fails the test when it throws nothing or something else).
template <class F>
DbError error_of(F&& f) {
  try {
    f();
  } catch (const DbError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a DbError";
  return DbError("none");
}

TEST_P(DbCase, CrudWithEveryParamType) {
  const int64_t big = std::numeric_limits<int64_t>::max();
  auto inserted =
      db_->exec("INSERT INTO items (id, n, r, s, b, note) VALUES ($1, $2, $3, $4, $5, $6)",
                {std::string("itm_1"), big, 0.1, std::string("héllo ✓"), true, nullptr});
  EXPECT_EQ(inserted.affected(), 1);
  db_->exec("INSERT INTO items (id, n, r, s, b, note) VALUES ($1, $2, $3, $4, $5, $6)",
            {std::string("itm_2"), std::numeric_limits<int64_t>::min(), -1e300, std::string(""),
             false, std::string("x")});

  const Row& row =
      db_->exec("SELECT id, n, r, s, b, note FROM items WHERE id = $1", {std::string("itm_1")})
          .one();
  EXPECT_EQ(row.text(0), "itm_1");
  EXPECT_EQ(row.int64("n"), big);
  EXPECT_DOUBLE_EQ(row.real("r"), 0.1);
  EXPECT_EQ(row.text("s"), "héllo ✓");
  EXPECT_TRUE(row.boolean("b"));
  EXPECT_EQ(row.int64("b"), 1);
  EXPECT_TRUE(row.is_null("note"));

  const Row& second =
      db_->exec("SELECT n, r, s, b FROM items WHERE id = $1", {std::string("itm_2")}).one();
  EXPECT_EQ(second.int64(0), std::numeric_limits<int64_t>::min());
  EXPECT_DOUBLE_EQ(second.real(1), -1e300);
  EXPECT_EQ(second.text(2), "");
  EXPECT_FALSE(second.is_null(2));  // empty string is not NULL
  EXPECT_FALSE(second.boolean(3));

  auto updated = db_->exec("UPDATE items SET n = n - 1 WHERE b = $1", {true});
  EXPECT_EQ(updated.affected(), 1);
  EXPECT_EQ(db_->exec("SELECT n FROM items WHERE id = 'itm_1'").one().int64(0), big - 1);
  auto returned = db_->exec("DELETE FROM items WHERE id = $1 RETURNING id", {std::string("itm_2")});
  EXPECT_EQ(returned.affected(), 1);
  EXPECT_EQ(returned.one().text("id"), "itm_2");
  EXPECT_EQ(count("items"), 1);
  EXPECT_EQ(db_->exec("SELECT id FROM items").affected(), 0);
}

TEST_P(DbCase, NullsReadAsOptionals) {
  db_->exec("INSERT INTO items (id, n, s) VALUES ($1, $2, $3)",
            {std::string("itm_n"), nullptr, nullptr});
  const Row& row = db_->exec("SELECT n, s, r FROM items").one();
  EXPECT_EQ(row.opt_int64("n"), std::nullopt);
  EXPECT_EQ(row.opt_text("s"), std::nullopt);
  EXPECT_EQ(row.opt_real("r"), std::nullopt);
  EXPECT_THROW(row.int64("n"), DbError);
  EXPECT_THROW(row.text("no_such_column"), DbError);
  db_->exec("UPDATE items SET n = $1, s = $2", {int64_t{7}, std::string("seven")});
  const Row& filled = db_->exec("SELECT n, s FROM items").one();
  EXPECT_EQ(filled.opt_int64(0), 7);
  EXPECT_EQ(filled.opt_text(1), "seven");
}

TEST_P(DbCase, OneThrowsNotFoundOnNoRows) {
  EXPECT_THROW(db_->exec("SELECT id FROM items WHERE id = $1", {std::string("x")}).one(), NotFound);
  EXPECT_TRUE(db_->exec("SELECT id FROM items").empty());
}

TEST_P(DbCase, UniqueViolationIsReported) {
  db_->exec("INSERT INTO items (id) VALUES ($1)", {std::string("itm_u")});
  DbError e =
      error_of([&] { db_->exec("INSERT INTO items (id) VALUES ($1)", {std::string("itm_u")}); });
  EXPECT_TRUE(e.unique_violation()) << e.what() << " sqlstate=" << e.sqlstate;
  auto ignored = db_->exec("INSERT INTO items (id) VALUES ($1) ON CONFLICT DO NOTHING",
                           {std::string("itm_u")});
  EXPECT_EQ(ignored.affected(), 0);
}

TEST_P(DbCase, BadStatementsAreRejected) {
  EXPECT_THROW(db_->exec("SELECT id FROM items WHERE id = $1"), DbError);  // missing param
  EXPECT_THROW(db_->exec("SELECT id FROM items WHERE id = $1", {std::string("a"), int64_t{1}}),
               DbError);
  EXPECT_THROW(db_->exec("SELECT 1; SELECT 2"), DbError);  // one statement per exec
  EXPECT_THROW(db_->exec("SELEKT nonsense"), DbError);
  EXPECT_TRUE(db_->ping());
}

TEST_P(DbCase, InjectionStringsAreStoredVerbatim) {
  const std::vector<std::string> nasty = {"'; DROP TABLE items; --",
                                          "Robert'); DROP TABLE items;--",
                                          "\" OR 1=1 --",
                                          "$1",
                                          "back\\slash \\' \\\\",
                                          "%_*?",
                                          "line\nbreak\ttab",
                                          "ünïcødé 🚀",
                                          "' OR ''='"};
  for (size_t i = 0; i < nasty.size(); ++i) {
    db_->exec("INSERT INTO items (id, s) VALUES ($1, $2)", {"itm_" + std::to_string(i), nasty[i]});
  }
  for (size_t i = 0; i < nasty.size(); ++i) {
    auto r = db_->exec("SELECT id FROM items WHERE s = $1", {nasty[i]});
    ASSERT_EQ(r.size(), 1u) << nasty[i];
    EXPECT_EQ(r[0].text(0), "itm_" + std::to_string(i));
    EXPECT_EQ(
        db_->exec("SELECT s FROM items WHERE id = $1", {"itm_" + std::to_string(i)}).one().text(0),
        nasty[i]);
  }
  EXPECT_EQ(count("items"), static_cast<int64_t>(nasty.size()));
}

TEST_P(DbCase, TransactionCommitsAndReturnsValue) {
  bool hook_ran = false;
  int64_t n = db_->transaction([&](Transaction& tx) {
    tx.exec("INSERT INTO items (id, n) VALUES ($1, $2)", {std::string("itm_t"), int64_t{41}});
    tx.on_commit([&] { hook_ran = true; });
    return tx.exec("SELECT n FROM items WHERE id = $1", {std::string("itm_t")}).one().int64(0) + 1;
  });
  EXPECT_EQ(n, 42);
  EXPECT_TRUE(hook_ran);
  EXPECT_EQ(count("items"), 1);
}

TEST_P(DbCase, TransactionRollsBackOnException) {
  bool hook_ran = false;
  EXPECT_THROW(db_->transaction([&](Transaction& tx) {
    tx.exec("INSERT INTO items (id) VALUES ($1)", {std::string("itm_a")});
    tx.exec("UPDATE items SET n = 5");
    tx.on_commit([&] { hook_ran = true; });
    throw std::runtime_error("validation failed half-way");
  }),
               std::runtime_error);
  EXPECT_FALSE(hook_ran);
  EXPECT_EQ(count("items"), 0);
}

TEST_P(DbCase, FailedStatementAbortsTransaction) {
  db_->exec("INSERT INTO items (id) VALUES ('itm_x')");
  DbError e = error_of([&] {
    db_->transaction([&](Transaction& tx) {
      tx.exec("INSERT INTO items (id) VALUES ('itm_y')");
      try {
        tx.exec("INSERT INTO items (id) VALUES ('itm_x')");
      } catch (const DbError&) {
        // Swallowed on purpose: the transaction is still unusable on both backends.
      }
      tx.exec("INSERT INTO items (id) VALUES ('itm_z')");
    });
  });
  EXPECT_EQ(e.sqlstate, "25P02") << e.what();
  EXPECT_EQ(count("items"), 1);
}

TEST_P(DbCase, ConcurrentTransactions) {
  db_->exec("INSERT INTO items (id, n) VALUES ('counter', 0)");
  constexpr int kThreads = 4, kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        try {
          db_->transaction([&](Transaction& tx) {
            tx.exec("UPDATE items SET n = n + 1 WHERE id = 'counter'");
            tx.exec("INSERT INTO items (id, n) VALUES ($1, $2)",
                    {"itm_" + std::to_string(t) + "_" + std::to_string(i), int64_t{t}});
          });
          db_->exec("SELECT COUNT(*) FROM items");  // readers run beside the writer
        } catch (const std::exception& e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(db_->exec("SELECT n FROM items WHERE id = 'counter'").one().int64(0),
            kThreads * kPerThread);
  EXPECT_EQ(count("items"), kThreads * kPerThread + 1);
}

TEST_P(DbCase, MigrationsApplyOnceAndInOrder) {
  auto migrations = cp_migrations_platform_testdata(GetParam());
  ASSERT_EQ(migrations.size(), 3u);
  apply_migrations(*db_, "testdata", migrations);
  apply_migrations(*db_, "testdata", migrations);  // idempotent
  EXPECT_EQ(applied_migrations(*db_, "testdata"), (std::vector<int>{1, 2, 10}));
  const Row& w = db_->exec("SELECT name, color FROM widgets").one();
  EXPECT_EQ(w.text("name"), "first; not a separator");
  EXPECT_EQ(w.text("color"), "blue");
  EXPECT_EQ(db_->exec("SELECT label FROM counters").one().text(0),
            GetParam() == Dialect::sqlite ? "sqlite" : "pg");
  // Another service's numbering is independent.
  apply_migrations(*db_, "other", {{1, "t", "CREATE TABLE other_t (id TEXT PRIMARY KEY)"}});
  EXPECT_EQ(applied_migrations(*db_, "other"), (std::vector<int>{1}));
}

TEST_P(DbCase, FailedMigrationLeavesNothing) {
  std::vector<Migration> bad = {
      {1, "good", "CREATE TABLE good_t (id TEXT PRIMARY KEY)"},
      {2, "half",
       "CREATE TABLE half_t (id TEXT PRIMARY KEY); INSERT INTO no_such_table VALUES (1)"}};
  EXPECT_THROW(apply_migrations(*db_, "svc", bad), DbError);
  EXPECT_EQ(applied_migrations(*db_, "svc"), (std::vector<int>{1}));
  EXPECT_THROW(db_->exec("SELECT id FROM half_t"), DbError);
  EXPECT_EQ(count("good_t"), 0);
  // Renaming an applied migration is caught instead of silently skipped.
  EXPECT_THROW(apply_migrations(*db_, "svc", {{1, "renamed", "SELECT 1"}}), DbError);
}

TEST_P(DbCase, PlatformMigrationsCreateOutboxTables) {
  apply_platform_migrations(*db_);
  apply_platform_migrations(*db_);
  EXPECT_EQ(count("outbox"), 0);
  EXPECT_EQ(count("processed_events"), 0);
}

}  // namespace cp::db
