// SQLite-specific checks that need the C API (kept in sqlite/, the one folder including sqlite3.h):
// connection settings and refusal of a schema newer than the build.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
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

TEST_F(SqliteStoreTest, BackupWhileOpenAndRestore) {
  Result<std::unique_ptr<Store>> store = OpenSqlite(path_);
  ASSERT_TRUE(store.ok());
  const OrganizationId org = (*store)->CreateOrganization("Acme").value();
  ASSERT_TRUE((*store)->CreateProgram(org, {"Before backup", "traditional", "{}"}).ok());
  const std::string backup = (dir_ / "backup.db").string();
  // The store stays open (as a running server would) during the backup.
  ASSERT_TRUE(BackupSqlite(path_, backup).ok());
  EXPECT_FALSE(fs::exists(backup + ".partial"));
  ASSERT_TRUE((*store)->CreateProgram(org, {"After backup", "traditional", "{}"}).ok());
  EXPECT_EQ((*store)->ListPrograms(org).value().size(), 2u);
  store->reset();

  ASSERT_TRUE(RestoreSqlite(backup, path_).ok());
  Result<std::unique_ptr<Store>> restored = OpenSqlite(path_);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  const std::vector<Program> programs = (*restored)->ListPrograms(org).value();
  ASSERT_EQ(programs.size(), 1u);
  EXPECT_EQ(programs[0].name, "Before backup");
  // Restoring into a new file works too.
  const std::string fresh = (dir_ / "fresh.db").string();
  ASSERT_TRUE(RestoreSqlite(backup, fresh).ok());
  EXPECT_EQ(OpenSqlite(fresh).value()->ListPrograms(org).value().size(), 1u);
}

TEST_F(SqliteStoreTest, BackupAndRestoreRefuseWhatIsNotATandemDatabase) {
  EXPECT_EQ(BackupSqlite((dir_ / "missing.db").string(), (dir_ / "b.db").string()).code(),
            StatusCode::kNotFound);
  const std::string foreign = (dir_ / "foreign.db").string();
  {
    Result<std::unique_ptr<sqlite::Db>> db = sqlite::Db::Open(foreign, 1000);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("CREATE TABLE t (x INTEGER)").ok());
  }
  const Status refused = RestoreSqlite(foreign, path_);
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("not a Tandem database"), std::string::npos);
  const std::string garbage = (dir_ / "garbage.db").string();
  {
    std::FILE* f = std::fopen(garbage.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    const std::string junk(8192, 'x');
    std::fwrite(junk.data(), 1, junk.size(), f);
    std::fclose(f);
  }
  EXPECT_FALSE(RestoreSqlite(garbage, path_).ok());
  EXPECT_FALSE(fs::exists(path_));  // nothing was written
}

}  // namespace
}  // namespace tandem::store
