// A thin RAII layer over SQLite's C API (Debian libsqlite3-dev): a connection, prepared statements with
// typed binds and reads, and a transaction guard. Every failure throws sim::InputError naming the database
// file and SQLite's message.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

namespace deepchip::explorer {

class SqliteDb;

class SqliteStatement {
 public:
  SqliteStatement(SqliteDb& db, const std::string& sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters are numbered from 1, as in SQLite.
  SqliteStatement& bind(int index, int64_t value);
  SqliteStatement& bind(int index, double value);
  SqliteStatement& bind(int index, const std::string& value);
  SqliteStatement& bind_null(int index);
  // Steps once: true while a row is available (read it with the column getters), false when done.
  bool step();
  // Steps to completion (statements without rows) and resets for the next binds.
  void run();
  void reset();

  // Columns are numbered from 0.
  int64_t int_column(int index) const;
  double double_column(int index) const;
  std::string text_column(int index) const;
  bool is_null(int index) const;

 private:
  SqliteDb& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  explicit SqliteDb(const std::string& path);  // opens or creates the file
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  void exec(const std::string& sql);  // one or more statements without results
  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE on construction; COMMIT on commit(); ROLLBACK if destroyed before.
class SqliteTransaction {
 public:
  explicit SqliteTransaction(SqliteDb& db);
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  void commit();

 private:
  SqliteDb& db_;
  bool open_ = true;
};

}  // namespace deepchip::explorer
