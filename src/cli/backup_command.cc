// `tandem backup` and `tandem restore` for the SQLite database. (PostgreSQL: pg_dump and
// pg_restore, docs/store.md.)
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "store/sqlite/sqlite_store.h"

namespace tandem::cli {

int RunBackup(const BackupArgs& args) {
  if (Status s = store::BackupSqlite(args.database, args.file); !s.ok()) return Fail(s);
  std::printf("Backed up %s to %s\n", args.database.c_str(), args.file.c_str());
  return 0;
}

int RunRestore(const BackupArgs& args) {
  if (Status s = store::RestoreSqlite(args.file, args.database); !s.ok()) return Fail(s);
  std::printf("Restored %s from %s\n", args.database.c_str(), args.file.c_str());
  return 0;
}

}  // namespace tandem::cli
