import CTimelineSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The allocator settings a large load wants, applied once per process before the first streamed load
/// (`StreamingLoad.run`). Speed only: nothing computed depends on them.
///
/// After the parse, every column is gathered into a fresh array in chronological order while the
/// parse's raw columns are freed (`EventBatch.columns`), and the indexes are built next: at a million
/// events that is over 200 MB of new arrays. With glibc's defaults each large block is a mapping of
/// its own, returned to the system when freed, and each thread allocates from an arena of its own, so
/// the memory the parse threads free is not used again by the workers that write the new arrays:
/// every page of those is a fresh page fault (about 57,000 a load; the kernel's share of the work
/// after the parse was about a third). Now blocks under 32 MiB (the most glibc's own threshold rises
/// to) come from the arenas, and at most two arenas are shared by all threads, so a new array mostly
/// takes pages a freed raw column leaves: about 45,000 faults a load instead. Larger blocks (the
/// columns of ten million events) are mapped as before, so the peak at that size stays as it was.
enum AllocatorTuning {
  /// True when the settings were accepted; false where the allocator is not glibc's, or when the
  /// environment sets the allocator itself (`GLIBC_TUNABLES`, `MALLOC_ARENA_MAX`,
  /// `MALLOC_MMAP_THRESHOLD_`: the explicit setting wins).
  static let applied: Bool = {
    #if canImport(Glibc)
      for name in ["GLIBC_TUNABLES", "MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_"] where getenv(name) != nil { return false }
    #endif
    return timeline_tune_allocator(32 << 20, 2) == 1
  }()
}
