#pragma once
// The PostgreSQL backend's schema as numbered migrations, applied in order by
// PostgresStore::Migrate() and recorded in schema_migrations. Same versions, names and meaning as
// SqliteMigrations() (same tables, columns, UNIQUE and CHECK constraints), written in
// PostgreSQL's dialect; store_test checks that the two lists agree on versions and names.
// The rules of sqlite_migrations.h apply: a released migration never changes, versions are
// 1, 2, 3, ... with no gaps, each migration runs in one transaction with its schema_migrations row.

#include <vector>

#include "store/migrations/sqlite_migrations.h"  // struct Migration (shared by both backends)

namespace tandem::store {

// In version order.
const std::vector<Migration>& PostgresMigrations();

}  // namespace tandem::store
