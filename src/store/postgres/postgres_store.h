#pragma once
// The PostgreSQL backend of the store (Debian's libpq): one database shared by any number of
// server processes, a small pool of connections per Store, every write in one transaction
// (READ COMMITTED; row locks or compare-and-set where a value is read and then changed), jobs
// claimed with SELECT ... FOR UPDATE SKIP LOCKED so two processes never claim the same job.
// Schema: store/migrations/postgres_migrations.cc. docs/store.md "PostgreSQL".

#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace tandem::store {

struct PostgresOptions {
  // Connections the Store keeps open at most; a call waits for a free one beyond that. >= 1.
  int pool_size = 4;
  // The schema holding Tandem's tables (the connections' search_path); empty: the server's
  // default search_path (normally "public"). The schema must exist. Letters, digits and '_'.
  std::string schema;
  // How long a statement waits for another transaction's row or table lock before failing with
  // kIoError (PostgreSQL's lock_timeout); 0: wait forever.
  int lock_timeout_ms = 5000;
};

// Connects to the database named by `conninfo` (libpq key=value pairs such as "host=127.0.0.1
// port=5432 dbname=tandem user=tandem", or a postgresql:// URI; libpq's PG* environment variables
// fill in what is missing) and applies pending migrations. kIoError if the server cannot be
// reached or refuses, or the schema is newer than this build; kInvalidArgument for bad options.
Result<std::unique_ptr<Store>> OpenPostgres(const std::string& conninfo,
                                            const PostgresOptions& options = {});

}  // namespace tandem::store
