// The large arrays of fuzzy lookup (source array, counters) are allocated on 2 MiB boundaries and advised
// to the kernel as huge-page memory; small ones are ordinary allocations. Contents are never affected.
#include "server/core/tm/huge_page_allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace heluo {
namespace {

// The VmFlags line of the mapping of this process that holds `p` ("" if none is found).
std::string VmFlagsOf(const void* p) {
  std::ifstream smaps("/proc/self/smaps");
  const uintptr_t at = reinterpret_cast<uintptr_t>(p);
  bool inside = false;
  for (std::string line; std::getline(smaps, line);) {
    uintptr_t from = 0, to = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> from >> dash >> to && dash == '-') {
      inside = from <= at && at < to;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  return "";
}

TEST(HugePageAllocatorTest, LargeArraysAreAlignedAndAdvisedAndKeepTheirContents) {
  HugePageVector<uint32_t> large(3 << 20);  // 12 MiB.
  EXPECT_EQ(reinterpret_cast<uintptr_t>(large.data()) % HugePageAllocator<uint32_t>::kHugePage, 0u);
  for (size_t i = 0; i < large.size(); ++i) large[i] = static_cast<uint32_t>(i * 2654435761u);
  for (size_t i = 0; i < large.size(); i += 4099) ASSERT_EQ(large[i], static_cast<uint32_t>(i * 2654435761u));
  if (std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled")) {
    // "hg": the mapping was given MADV_HUGEPAGE (whatever the kernel then does with it).
    EXPECT_NE(VmFlagsOf(large.data()).find(" hg"), std::string::npos) << VmFlagsOf(large.data());
  }
  large.resize(5 << 20);  // Grows through the allocator: copied, still aligned.
  EXPECT_EQ(reinterpret_cast<uintptr_t>(large.data()) % HugePageAllocator<uint32_t>::kHugePage, 0u);
  EXPECT_EQ(large[4099], static_cast<uint32_t>(4099 * 2654435761u));

  HugePageVector<uint16_t> small(1000, 7);  // An ordinary allocation.
  EXPECT_EQ(small[999], 7);
}

}  // namespace
}  // namespace heluo
