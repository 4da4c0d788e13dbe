// A directory under /tmp that exists for the life of the object (removed with its contents afterwards).
#ifndef HELUO_TESTS_TEMP_DIR_H_
#define HELUO_TESTS_TEMP_DIR_H_

#include <lmdb.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

namespace heluo {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "heluo-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes an LMDB environment into `dir` the way some other program would: one record in the unnamed
// database, no heluo meta database.
inline void WriteForeignLmdb(const std::string& dir) {
  MDB_env* env = nullptr;
  MDB_txn* txn = nullptr;
  MDB_dbi dbi;
  mdb_env_create(&env);
  mdb_env_open(env, dir.c_str(), 0, 0644);
  mdb_txn_begin(env, nullptr, 0, &txn);
  mdb_dbi_open(txn, nullptr, 0, &dbi);
  MDB_val k{9, const_cast<char*>("their-key")}, v{11, const_cast<char*>("their-value")};
  mdb_put(txn, dbi, &k, &v, 0);
  mdb_txn_commit(txn);
  mdb_env_close(env);
}

}  // namespace heluo

#endif  // HELUO_TESTS_TEMP_DIR_H_
