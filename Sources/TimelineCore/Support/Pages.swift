import CTimelineSupport

/// Typed access to `timeline_pages_allocate` and its kin: zero-filled buffers of trivial values that a
/// builder grows and frees (the word index's interners, lists and bitsets). From 256 KiB each is a
/// mapping of its own: grown without a copy, only its written pages resident, and its memory given back
/// to the system when freed, where the allocator's arenas kept what each doubling left (see pages.c).
/// A block is resident only as it is written, so room reserved up front costs only address space; and
/// a block is best freed or resized when no other thread of the process is running (each is a TLB
/// flush on the cores that run one).
enum Pages {
  static func allocate<T>(_: T.Type, capacity: Int) -> UnsafeMutablePointer<T> {
    timeline_pages_allocate(capacity * MemoryLayout<T>.stride)!.bindMemory(to: T.self, capacity: capacity)
  }

  /// The buffer with room for `newCapacity` elements: the first `min(capacity, newCapacity)` kept,
  /// any after them zero.
  static func resize<T>(_ p: UnsafeMutablePointer<T>, capacity: Int, to newCapacity: Int) -> UnsafeMutablePointer<T> {
    timeline_pages_resize(p, capacity * MemoryLayout<T>.stride, newCapacity * MemoryLayout<T>.stride)!
      .bindMemory(to: T.self, capacity: newCapacity)
  }

  static func free<T>(_ p: UnsafeMutablePointer<T>?, capacity: Int) {
    timeline_pages_free(p, capacity * MemoryLayout<T>.stride)
  }
}
