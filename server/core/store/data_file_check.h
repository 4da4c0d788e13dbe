// Checks an LMDB data file (data.mdb) against its two meta pages before LMDB maps it.
//
// LMDB trusts its meta pages: a file cut short (a copy written to a full disk, a half-finished transfer)
// still opens, and the first read of a page past the end of the file kills the process with SIGBUS. So
// before opening, both meta pages are read with ordinary reads and the file must be long enough for every
// page they say is in use (mm_last_pg), with a sane page size and roots inside the file — except for pages on
// the newest free list: LMDB never writes a page it allocated and freed again in one transaction (it returns
// such overflow and "loose" pages to the free list), so a whole file may end before mm_last_pg; every page
// missing from its end must then be free (the free database is read with ordinary reads too). A file that is
// damaged elsewhere (a page in the middle overwritten) is not detected here; LMDB reports such pages as
// MDB_CORRUPTED / MDB_PAGE_NOTFOUND when it meets them.
#ifndef HELUO_SERVER_CORE_STORE_DATA_FILE_CHECK_H_
#define HELUO_SERVER_CORE_STORE_DATA_FILE_CHECK_H_

#include <string>

#include "server/core/status.h"

namespace heluo {

// OK for a whole data file; DATA_LOSS naming the file and what is wrong otherwise (too short for its meta
// pages, a meta page that is not LMDB's, a different LMDB version, pages in use beyond the end of the file).
Status CheckDataFile(const std::string& path);

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_STORE_DATA_FILE_CHECK_H_
