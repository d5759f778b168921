// SQLite-specific checks that need the C API (kept in sqlite/, the one folder including sqlite3.h):
// connection settings and refusal of a schema newer than the build.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "store/migrations/sqlite_migrations.h"
#include "store/sqlite/sqlite_db.h"

namespace tandem::store {
namespace {

namespace fs = std::filesystem;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tandem_sqlite_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    path_ = (dir_ / "tandem.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // The first column of the first row of `sql`, as text.
  static std::string QueryText(sqlite::Db& db, const char* sql) {
    Result<sqlite::Query> q = db.Prepare(sql);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (!q.ok()) return {};
    Result<bool> row = (*q)->Step();
    EXPECT_TRUE(row.ok() && *row);
    return row.ok() && *row ? (*q)->Text(0) : std::string();
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(SqliteStoreTest, ConnectionSettings) {
  Result<std::unique_ptr<sqlite::Db>> db = sqlite::Db::Open(path_, 1234);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(QueryText(**db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryText(**db, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(QueryText(**db, "PRAGMA busy_timeout"), "1234");
  EXPECT_EQ(QueryText(**db, "PRAGMA synchronous"), "1");  // NORMAL
}

TEST_F(SqliteStoreTest, TransactionRollsBackUnlessCommitted) {
  Result<std::unique_ptr<sqlite::Db>> db = sqlite::Db::Open(path_, 1000);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Exec("CREATE TABLE t (x INTEGER)").ok());
  {
    Result<sqlite::Transaction> tx = sqlite::Transaction::Begin(**db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (1)").ok());
  }  // destroyed without Commit
  EXPECT_EQ(QueryText(**db, "SELECT count(*) FROM t"), "0");
  {
    Result<sqlite::Transaction> tx = sqlite::Transaction::Begin(**db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(QueryText(**db, "SELECT count(*) FROM t"), "1");
}

TEST_F(SqliteStoreTest, NewerSchemaIsRefused) {
  {
    Result<std::unique_ptr<Store>> store = OpenSqlite(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
  }
  {
    Result<std::unique_ptr<sqlite::Db>> db = sqlite::Db::Open(path_, 1000);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(
        (*db)->Exec("INSERT INTO schema_migrations (version, name) VALUES (99, 'future')").ok());
  }
  Result<std::unique_ptr<Store>> store = OpenSqlite(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIoError);
  EXPECT_EQ(store.status().message(),
            "database schema version 99 is newer than this build knows (" +
                std::to_string(SqliteMigrations().back().version) + ")");
}

TEST_F(SqliteStoreTest, MigrationVersionsAreConsecutive) {
  const std::vector<Migration>& migrations = SqliteMigrations();
  ASSERT_FALSE(migrations.empty());
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
  }
}

}  // namespace
}  // namespace tandem::store
