// HugePageAllocator: an allocator for the large arrays fuzzy lookup reads at random places (the source
// array's hundreds of MB, the per-lookup counters of one per segment). With 4 KiB pages each such read is
// also a likely TLB miss (a page walk, nested under a hypervisor); an allocation of 2 MiB or more is
// aligned to 2 MiB and marked MADV_HUGEPAGE before anything touches it, so with transparent huge pages in
// "madvise" mode (the Debian default) the kernel backs it with 2 MiB pages. Smaller allocations, and a
// kernel that refuses, get ordinary pages: the advice changes speed only, never contents.
//
// Thread-safety: stateless.
#ifndef HELUO_SERVER_CORE_TM_HUGE_PAGE_ALLOCATOR_H_
#define HELUO_SERVER_CORE_TM_HUGE_PAGE_ALLOCATOR_H_

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>
#include <vector>

namespace heluo {

template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;
  static constexpr size_t kHugePage = size_t{2} << 20;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: converting, as allocators are.

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePage) return static_cast<T*>(::operator new(bytes));
    const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
    (void)madvise(p, rounded, MADV_HUGEPAGE);  // Advice only: ignored where unsupported.
    return static_cast<T*>(p);
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugePage) {
      ::operator delete(p);
    } else {
      std::free(p);
    }
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

template <typename T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace heluo

#endif  // HELUO_SERVER_CORE_TM_HUGE_PAGE_ALLOCATOR_H_
