import Dispatch

/// Independent pieces of work run side by side on the machine's cores: the one place where the loader,
/// the sort and the indexes hand work to other threads and take results back.
///
/// Each job writes only its own result slot, and `concurrentPerform` returns once every job is done,
/// so the caller reads the slots after all the writes. Jobs must not make arrays with
/// `Array(unsafeUninitializedCapacity:)` of capacity 0 (see `Array.filled`).
enum Parallel {
  /// Returns each job's value, in the jobs' order.
  static func map<T>(_ jobs: [() -> T]) -> [T] {
    let n = jobs.count
    let slots = UnsafeMutablePointer<T>.allocate(capacity: n)
    defer { slots.deallocate() }
    nonisolated(unsafe) let work = jobs
    nonisolated(unsafe) let out = slots
    DispatchQueue.concurrentPerform(iterations: n) { k in (out + k).initialize(to: work[k]()) }
    return (0..<n).map { (slots + $0).move() }
  }

  /// Runs the jobs and returns when all are done.
  static func run(_ jobs: [() -> Void]) { _ = map(jobs) }
}

extension Array {
  /// An array of `count` elements written by `initialize` (which must initialise every one), without
  /// first filling it with a placeholder.
  ///
  /// Use this, not `Array(unsafeUninitializedCapacity:)` directly, on any thread but the main one: with a
  /// capacity of 0 the standard library writes the count into the one shared empty-array storage, so two
  /// threads making empty arrays at once write the same global (ThreadSanitizer reported it in
  /// `Timeline`'s parallel postings for a timeline without tags).
  static func filled(count: Int, _ initialize: (UnsafeMutableBufferPointer<Element>) -> Void) -> [Element] {
    if count == 0 { return [] }
    return Array(unsafeUninitializedCapacity: count) { buffer, initialized in
      initialize(buffer)
      initialized = count
    }
  }
}
