#pragma once
// The SQLite backend's schema as numbered migrations, applied in order by SqliteStore::Migrate()
// and recorded in schema_migrations. Rules (docs/store.md "Migrations"):
//   - a migration, once released, never changes; a change to the schema is a new migration;
//   - versions are 1, 2, 3, ... with no gaps;
//   - each migration runs in one transaction together with its schema_migrations row.
// A PostgreSQL backend keeps its own list (postgres_migrations.cc) with the same versions and
// names, so both backends describe one logical schema.

#include <vector>

namespace tandem::store {

struct Migration {
  int version;
  const char* name;
  const char* sql;  // one or more statements
};

// In version order.
const std::vector<Migration>& SqliteMigrations();

}  // namespace tandem::store
